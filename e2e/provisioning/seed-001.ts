/**
 * The seed 001 provisioning commands ("Provision Genesys Authentication"), taken from the document
 * itself and run with the real `curl`. What is changed, and nothing else:
 *
 * 1. Documentation callouts are removed: the web page annotates lines with ` ---- <note>`,
 *    ` <----- <note>`, `- Environment ID`, `which is used while deploying the Tenant service`, and
 *    blank lines (artefacts of the page) inside a command. They are not part of the commands.
 * 2. Placeholders and ids are substituted: `<gauth-url>` (the base URL), `<yourcluster.com>`, `<CC-id>`,
 *    `<customer-domain>`, `<contactcenter-id>`, `<URL_1>,<URL_2>,<URL_3>`, the `false/true` choice of
 *    `readOnly`, the example environment id and bearer tokens, and the client secret that the first
 *    command returns (the document's example answer shows it as `secret`).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A verbatim copy of the Genesys provisioning guide (seed 001), kept in the repo so the test is self-contained. */
export const SEED_001_PATH =
  process.env.SEED_001_PATH ?? join(__dirname, 'fixtures/seed-001-provision-genesys-authentication.txt');

export interface SeedCommand {
  /** The section heading the command sits under in the document. */
  title: string;
  /** The command exactly as the document prints it (callouts included). */
  raw: string;
}

const SECTION_TITLES = [
  'Create a new API Client',
  'Create an authentication token',
  'Add a Genesys tenant/environment',
  'Add a contact center',
  'Add a data center',
  'Update CORS settings (optional)',
];

/** Every `curl` command of the document, in order, with the section it belongs to. */
export function extractCurlCommands(text: string): SeedCommand[] {
  const lines = text.split(/\r?\n/);
  const commands: SeedCommand[] = [];
  let title = '';
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (SECTION_TITLES.includes(line.trim())) title = line.trim();
    if (!line.startsWith('curl ')) continue;
    const block: string[] = [line];
    let quote = countQuotes(line) % 2 === 1;
    let continued = endsWithContinuation(line);
    while ((continued || quote) && index + 1 < lines.length) {
      const next = lines[++index]!;
      block.push(next);
      if (quote) {
        quote = countQuotes(next) % 2 === 1 ? false : true;
        if (!quote) continued = endsWithContinuation(next);
      } else if (next.trim() === '') {
        continue; // a blank page line after a continuation
      } else {
        quote = countQuotes(next) % 2 === 1;
        continued = endsWithContinuation(next);
      }
    }
    commands.push({ title, raw: block.join('\n') });
  }
  return commands;
}

function countQuotes(line: string): number {
  return (line.match(/'/g) ?? []).length;
}

/** A continuation backslash, possibly followed by a callout (`\ ---- note`). */
function endsWithContinuation(line: string): boolean {
  return /\\\s*(-{2,}.*)?$/.test(line.replace(/\s+$/, '')) || /\\ -+.*$/.test(line);
}

/** Step 1: the documentation callouts go; the command text stays as printed. */
export function removeCallouts(raw: string): string {
  return raw
    .split('\n')
    .map((line) =>
      line
        .replace(/\s+<-{2,}.*$/, '') // "readOnly": false/true <----- should be true for ...
        .replace(/\s+-{3,}.*$/, '') // \ ------ Cloud ops credentials ... / "", -----<Client Password> / ], -----> ...
        .replace(/ which is used while deploying the Tenant service$/, '')
        .replace(/, which is used while deploying the Tenant service$/, ',')
        .replace(/""- URLs that require CORS permission"$/, '"')
        .replace(/\s+-- Bearer token$/, ''),
    )
    .filter((line) => line.trim() !== '')
    .join('\n');
}

export interface Substitutions {
  baseUrl: string;
  cluster: string;
  contactCenterId: string;
  environmentId?: string;
  domain: string;
  clientSecret?: string;
  accessToken?: string;
  readOnly: boolean;
  corsOrigins: string[];
  /** The ops credentials from the values file (the document's default is ops:ops). */
  ops?: { username: string; password: string };
}

/** Step 2: placeholders and ids. Each rule names exactly what it replaces. */
export function substitute(command: string, values: Substitutions): string {
  let text = command
    .replace(/"entryPoint": <gauth-url>/g, `"entryPoint": "${values.baseUrl}"`)
    .replace(/<gauth-url>/g, values.baseUrl)
    .replace(/<yourcluster\.com>/g, values.cluster)
    .replace(/"id" : <CC-id>/g, `"id" : "${values.contactCenterId}"`)
    .replace(/"domains": <customer-domain>/g, `"domains": ["${values.domain}"]`)
    .replace(/<contactcenter-id>/g, values.contactCenterId)
    .replace(/<URL_1>,<URL_2>,<URL_3>/g, values.corsOrigins.join(','))
    .replace(/"readOnly": false\/true/g, `"readOnly": ${values.readOnly}`);
  if (values.environmentId) text = text.replace(/343dd264-7c26-4f9e-82c5-26baedbcb797/g, values.environmentId);
  if (values.ops) {
    const { username, password } = values.ops;
    text = text
      .replace(/--user ops:ops /g, `--user ${username}:${password} `)
      .replace(/'username=ops'/g, `'username=${username}'`)
      .replace(/'password=ops'/g, `'password=${password}'`);
  }
  if (values.clientSecret !== undefined) {
    text = text.replace(/--user external_api_client:secret /g, `--user external_api_client:${values.clientSecret} `);
  }
  if (values.accessToken) {
    text = text.replace(/Authorization: Bearer [0-9a-f-]{36}/g, `Authorization: Bearer ${values.accessToken}`);
  }
  return text;
}

export function loadSeedCommands(path = SEED_001_PATH): SeedCommand[] {
  return extractCurlCommands(readFileSync(path, 'utf8'));
}

export interface CurlResult {
  command: string;
  stdout: string;
  json: unknown;
}

/** Runs the command text with /bin/sh (quotes and line continuations as a user's shell reads them). */
export function runCurl(command: string, timeoutMs = 20_000): Promise<CurlResult> {
  return new Promise((resolve, reject) => {
    execFile('/bin/sh', ['-c', command], { timeout: timeoutMs, maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`curl failed (${error.message}): ${stderr}\n${command}`));
        return;
      }
      let json: unknown;
      try {
        json = stdout.trim() ? JSON.parse(stdout) : undefined;
      } catch {
        json = undefined;
      }
      resolve({ command, stdout, json });
    });
  });
}
