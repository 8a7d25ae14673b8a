import { randomUUID } from 'node:crypto';
import {
  CurlResult,
  loadSeedCommands,
  removeCallouts,
  runCurl,
  SeedCommand,
  Substitutions,
  substitute,
} from './seed-001';

export interface ProvisioningResult {
  clientSecret: string;
  accessToken: string;
  environmentId: string;
  contactCenterId: string;
  domain: string;
  corsOrigins: string[];
  /** Every command as run (secrets included: test output only) with its answer. */
  transcript: CurlResult[];
}

export interface ProvisioningOptions {
  cluster?: string;
  domain?: string;
  contactCenterId?: string;
  /** The installation's ops credentials, when not the document's default ops:ops. */
  ops?: { username: string; password: string };
}

function envelopeOk(result: CurlResult, step: string): Record<string, unknown> {
  const body = result.json as { status?: { code?: unknown } } | undefined;
  if (!body || body.status?.code !== 0) {
    throw new Error(`${step}: expected {"status":{"code":0}}, got ${result.stdout || '(empty)'}`);
  }
  return body as Record<string, unknown>;
}

/**
 * Runs the six seed 001 commands, in the document's order, against `baseUrl`: create the API client,
 * password-grant token with the ops user, create the environment, add the contact center, add the
 * data center, update the CORS settings. Each answer feeds the next command as the document says.
 */
export async function runProvisioningFlow(
  baseUrl: string,
  options: ProvisioningOptions = {},
): Promise<ProvisioningResult> {
  const commands = loadSeedCommands();
  const byTitle = (title: string): SeedCommand => {
    const command = commands.find((candidate) => candidate.title === title);
    if (!command) throw new Error(`seed 001 has no command under "${title}"`);
    return command;
  };
  const cluster = options.cluster ?? 'example.com';
  const values: Substitutions = {
    baseUrl: baseUrl.replace(/\/$/, ''),
    cluster,
    contactCenterId: options.contactCenterId ?? randomUUID(),
    domain: options.domain ?? `t${Math.floor(Math.random() * 1e9)}`,
    readOnly: false,
    ops: options.ops,
    corsOrigins: [`https://wwe.${cluster}`, `https://gws.${cluster}`, `https://prov.${cluster}`],
  };
  const transcript: CurlResult[] = [];
  const run = async (title: string) => {
    const result = await runCurl(substitute(removeCallouts(byTitle(title).raw), values));
    transcript.push(result);
    return result;
  };

  const client = envelopeOk(await run('Create a new API Client'), 'create API client');
  const clientSecret = (client.data as { client_secret?: unknown } | undefined)?.client_secret;
  if (typeof clientSecret !== 'string' || !clientSecret)
    throw new Error(`create API client: no client_secret in ${JSON.stringify(client)}`);
  values.clientSecret = clientSecret;

  const token = await run('Create an authentication token');
  const accessToken = (token.json as { access_token?: unknown } | undefined)?.access_token;
  if (typeof accessToken !== 'string') throw new Error(`password grant: no access_token in ${token.stdout}`);
  values.accessToken = accessToken;

  const environment = envelopeOk(await run('Add a Genesys tenant/environment'), 'create environment');
  const environmentId = String(environment.path ?? '').split('/')[2];
  if (!environmentId) throw new Error(`create environment: no path in ${JSON.stringify(environment)}`);
  values.environmentId = environmentId;

  envelopeOk(await run('Add a contact center'), 'add contact center');
  envelopeOk(await run('Add a data center'), 'add data center');
  envelopeOk(await run('Update CORS settings (optional)'), 'update CORS settings');

  return {
    clientSecret,
    accessToken,
    environmentId,
    contactCenterId: values.contactCenterId,
    domain: values.domain,
    corsOrigins: values.corsOrigins,
    transcript,
  };
}
