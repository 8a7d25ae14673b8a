import { basicAuthorization } from './auth-api-target';
import { RequestSpec, sendOnce } from './load';
import type { ScenarioId } from './options';
import type { ScenarioDefinitionLike, TargetRole } from './report';

export interface BenchTarget {
  id: string;
  role: TargetRole;
  label: string;
  baseUrl: string;
  pid: number;
  request: RequestSpec;
  /** Checks one answer; returns why it is wrong, or null. */
  validate(status: number, body: string): string | null;
}

export interface Scenario extends ScenarioDefinitionLike {
  id: ScenarioId;
  targets: BenchTarget[];
  notes: string[];
  /** Targets whose preflight failed, with the reason. */
  unavailable: { id: string; role: TargetRole; label: string; reason: string }[];
}

export interface ServerRef {
  id: string;
  label: string;
  baseUrl: string;
  pid: number;
}

export interface Credentials {
  id: string;
  secret: string;
}

export interface BenchContext {
  ours: ServerRef & {
    opaqueClient: Credentials;
    jwtClient: Credentials;
    /** The password-grant user of the `password` and `userinfo` scenarios. */
    user: { username: string; password: string; description: string };
    /** Why auth-api is not running (its targets are then reported as not measured). */
    unavailable?: string;
  };
  /** node-oidc-provider processes (Redis first: the ratio targets are against it). */
  peers: (ServerRef & { opaqueClient: Credentials; jwtClient: Credentials })[];
  ceiling: ServerRef;
  /** Fastify + ioredis with the token logic only (opaque tokens): what is left after HTTP and Redis. */
  floor: ServerRef & { opaqueClient: Credentials };
}

export const LATENCY_BUDGET_MS = 15;

const FORM = 'application/x-www-form-urlencoded';

function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

function json(body: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(body);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function jwtHeader(token: string): Record<string, unknown> | null {
  const [header, payload, signature] = token.split('.');
  if (!header || !payload || !signature) return null;
  return json(Buffer.from(header, 'base64url').toString('utf8'));
}

export function validateTokenResponse(format: 'opaque' | 'jwt') {
  return (status: number, body: string): string | null => {
    if (status !== 200) return `HTTP ${status}: ${body.slice(0, 200)}`;
    const parsed = json(body);
    const token = parsed?.access_token;
    if (typeof token !== 'string' || !token) return `no access_token in ${body.slice(0, 200)}`;
    if (String(parsed?.token_type).toLowerCase() !== 'bearer') return `token_type ${String(parsed?.token_type)}`;
    const header = jwtHeader(token);
    if (format === 'jwt' && header?.alg !== 'ES256')
      return `expected an ES256 JWT, got ${header ? `alg ${String(header.alg)}` : 'an opaque token'}`;
    if (format === 'opaque' && header) return 'expected an opaque token, got a JWT';
    return null;
  };
}

function validateActive(status: number, body: string): string | null {
  if (status !== 200) return `HTTP ${status}: ${body.slice(0, 200)}`;
  return json(body)?.active === true ? null : `expected active:true, got ${body.slice(0, 200)}`;
}

function validateJson200(status: number, body: string): string | null {
  if (status !== 200) return `HTTP ${status}: ${body.slice(0, 200)}`;
  return json(body) ? null : `expected a JSON object, got ${body.slice(0, 200)}`;
}

function tokenRequest(path: string, client: Credentials, fields: Record<string, string>): RequestSpec {
  return {
    method: 'POST',
    path,
    headers: { authorization: basicAuthorization(client.id, client.secret), 'content-type': FORM },
    body: form(fields),
  };
}

async function mint(server: ServerRef, request: RequestSpec): Promise<string> {
  const answer = await sendOnce(server.baseUrl, request);
  const problem = validateJson200(answer.status, answer.body);
  const token = json(answer.body)?.access_token;
  if (problem || typeof token !== 'string')
    throw new Error(`${server.label}: could not mint a token (${problem ?? answer.body.slice(0, 200)})`);
  return token;
}

const OURS_TOKEN = '/auth/v3/oauth/token';
const PEER_TOKEN = '/token';
const PEER_INTROSPECT = '/token/introspection';

function target(
  server: ServerRef,
  role: TargetRole,
  request: RequestSpec,
  validate: BenchTarget['validate'],
  label = server.label,
): BenchTarget {
  return { id: server.id, role, label, baseUrl: server.baseUrl, pid: server.pid, request, validate };
}

function ceilingFor(context: BenchContext, request: RequestSpec): BenchTarget {
  return target(context.ceiling, 'ceiling', request, validateJson200);
}

/** The floor's version of an opaque-token scenario (it mints its own token for validation). */
async function floorFor(context: BenchContext, id: 'cc-opaque' | 'userinfo' | 'introspect'): Promise<BenchTarget> {
  const { floor } = context;
  const issue = tokenRequest('/token', floor.opaqueClient, { grant_type: 'client_credentials' });
  if (id === 'cc-opaque') return target(floor, 'floor', issue, validateTokenResponse('opaque'));
  const token = await mint(floor, issue);
  return id === 'userinfo'
    ? target(
        floor,
        'floor',
        { method: 'GET', path: '/userinfo', headers: { authorization: `Bearer ${token}` } },
        validateJson200,
      )
    : target(floor, 'floor', tokenRequest('/introspect', floor.opaqueClient, { token }), validateActive);
}

/** Builds one scenario: mints the tokens it needs and lists its targets in A/B order. */
export async function buildScenario(id: ScenarioId, context: BenchContext): Promise<Scenario> {
  const { ours, peers } = context;
  const unavailable: Scenario['unavailable'] = [];
  const notes: string[] = [];
  const cc = { grant_type: 'client_credentials' };
  const attempt = async (
    server: ServerRef,
    role: TargetRole,
    build: () => Promise<BenchTarget>,
  ): Promise<BenchTarget | undefined> => {
    try {
      if (role === 'ours' && ours.unavailable) throw new Error(ours.unavailable);
      return await build();
    } catch (error) {
      unavailable.push({
        id: server.id,
        role,
        label: server.label,
        reason: error instanceof Error ? error.message : String(error),
      });
      return undefined;
    }
  };
  let targets: (BenchTarget | undefined)[] = [];
  switch (id) {
    case 'cc-opaque':
    case 'cc-jwt': {
      const format = id === 'cc-opaque' ? 'opaque' : 'jwt';
      const oursRequest = tokenRequest(OURS_TOKEN, format === 'opaque' ? ours.opaqueClient : ours.jwtClient, cc);
      targets = [
        target(ours, 'ours', oursRequest, validateTokenResponse(format)),
        ...peers.map((peer) =>
          target(
            peer,
            'peer',
            tokenRequest(PEER_TOKEN, format === 'opaque' ? peer.opaqueClient : peer.jwtClient, cc),
            validateTokenResponse(format),
          ),
        ),
        ...(id === 'cc-opaque' ? [await attempt(context.floor, 'floor', () => floorFor(context, id))] : []),
        ceilingFor(context, oursRequest),
      ];
      break;
    }
    case 'userinfo':
    case 'introspect': {
      let oursRequest: RequestSpec | undefined;
      const oursTarget = await attempt(ours, 'ours', async () => {
        if (id === 'userinfo') {
          let token: string;
          try {
            token = await mint(
              ours,
              tokenRequest(OURS_TOKEN, ours.opaqueClient, {
                grant_type: 'password',
                username: ours.user.username,
                password: ours.user.password,
              }),
            );
            notes.push(`userinfo token: password grant for ${ours.user.description}`);
          } catch (error) {
            token = await mint(ours, tokenRequest(OURS_TOKEN, ours.opaqueClient, cc));
            notes.push(`userinfo token: client_credentials (the password grant failed: ${String(error)})`);
          }
          oursRequest = { method: 'GET', path: '/auth/v3/userinfo', headers: { authorization: `Bearer ${token}` } };
          return target(ours, 'ours', oursRequest, validateJson200, `${ours.label} GET /userinfo`);
        }
        const token = await mint(ours, tokenRequest(OURS_TOKEN, ours.opaqueClient, cc));
        oursRequest = tokenRequest('/auth/v3/oauth/introspect', ours.opaqueClient, { token });
        return target(ours, 'ours', oursRequest, validateActive);
      });
      const peerTargets = await Promise.all(
        peers.map((peer) =>
          attempt(peer, 'peer', async () => {
            const token = await mint(peer, tokenRequest(PEER_TOKEN, peer.opaqueClient, cc));
            return target(
              peer,
              'peer',
              tokenRequest(PEER_INTROSPECT, peer.opaqueClient, { token }),
              validateActive,
              `${peer.label} introspection`,
            );
          }),
        ),
      );
      targets = [
        oursTarget,
        ...peerTargets,
        await attempt(context.floor, 'floor', () => floorFor(context, id)),
        ceilingFor(context, oursRequest ?? tokenRequest('/', ours.opaqueClient, cc)),
      ];
      break;
    }
    case 'password': {
      const request = tokenRequest(OURS_TOKEN, ours.opaqueClient, {
        grant_type: 'password',
        username: ours.user.username,
        password: ours.user.password,
      });
      notes.push(
        `password grant user: ${ours.user.description}; node-oidc-provider has no password grant (OAuth 2.1 removed it), so no peer`,
      );
      targets = [target(ours, 'ours', request, validateTokenResponse('opaque')), ceilingFor(context, request)];
      break;
    }
  }
  // Preflight: every target must answer one request correctly before it is measured.
  const ready: BenchTarget[] = [];
  for (const candidate of targets) {
    if (!candidate) continue;
    try {
      if (candidate.role === 'ours' && ours.unavailable) throw new Error(ours.unavailable);
      const answer = await sendOnce(candidate.baseUrl, candidate.request);
      const problem = candidate.validate(answer.status, answer.body);
      if (problem) throw new Error(problem);
      ready.push(candidate);
    } catch (error) {
      unavailable.push({
        id: candidate.id,
        role: candidate.role,
        label: candidate.label,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return { ...SCENARIO_DEFINITIONS[id], id, targets: ready, notes, unavailable };
}

export const SCENARIO_DEFINITIONS: Record<ScenarioId, ScenarioDefinitionLike> = {
  'cc-opaque': {
    id: 'cc-opaque',
    title: 'client_credentials, opaque token (Redis)',
    requirement: { peer: 'oidc-redis', minRatio: 2.0 },
    latencyBudgetMs: LATENCY_BUDGET_MS,
  },
  'cc-jwt': {
    id: 'cc-jwt',
    title: 'client_credentials, JWT ES256',
    requirement: { peer: 'oidc-redis', minRatio: 1.5 },
    latencyBudgetMs: LATENCY_BUDGET_MS,
  },
  userinfo: {
    id: 'userinfo',
    title: 'GET /userinfo (opaque) vs peer introspection',
    requirement: { peer: 'oidc-redis', minRatio: 2.0 },
    latencyBudgetMs: LATENCY_BUDGET_MS,
  },
  introspect: {
    id: 'introspect',
    title: 'introspection (opaque)',
    requirement: { peer: 'oidc-redis', minRatio: 2.0 },
    latencyBudgetMs: LATENCY_BUDGET_MS,
  },
  password: {
    id: 'password',
    title: 'password grant (argon2id)',
  },
};
