import { z } from 'zod';

/**
 * The Configuration Server gateway contract, version 1 (docs/config-server-gateway.md and
 * docs/openapi/config-server-gateway.json): the shapes cxauth reads from a gateway, after the
 * Configuration Server object model (CfgPerson, CfgAgentLogin, roles).
 */
export const GATEWAY_API_PREFIX = '/v1';

export const PERSON_STATES = ['CFGEnabled', 'CFGDisabled'] as const;

export const gatewayPersonSchema = z.object({
  dbid: z.number().int().positive(),
  userName: z.string().min(1).max(255),
  firstName: z.string().max(255).nullish(),
  lastName: z.string().max(255).nullish(),
  emailAddress: z.string().max(320).nullish(),
  employeeId: z.string().max(255).nullish(),
  isAgent: z.boolean().default(false),
  state: z.enum(PERSON_STATES),
  tenantDbid: z.number().int().nonnegative(),
  agentLogins: z
    .array(z.object({ dbid: z.number().int().positive(), loginCode: z.string().max(255) }))
    .max(100)
    .default([]),
  roles: z
    .array(z.object({ dbid: z.number().int().positive(), name: z.string().min(1).max(255) }))
    .max(100)
    .default([]),
});

export type GatewayPerson = z.infer<typeof gatewayPersonSchema>;

export const personListSchema = z.object({ persons: z.array(gatewayPersonSchema).max(1) });

/** Error bodies: `{"error":"<code>","message":"..."}`. */
export const gatewayErrorSchema = z.object({ error: z.string(), message: z.string().optional() });

export const GATEWAY_ERRORS = {
  /** 401 on authenticate / password: unknown person, disabled person or wrong password (never told apart). */
  INVALID_CREDENTIALS: 'invalid_credentials',
  /** 401 on any call: the environment's username/password/appName were refused by the gateway. */
  UNAUTHORIZED: 'unauthorized',
  /** 403 on authenticate: the password was right but has expired and must be changed. */
  PASSWORD_EXPIRED: 'password_expired',
  /** 403 on password: the Configuration Server does not let this person change the password here. */
  PASSWORD_CHANGE_NOT_ALLOWED: 'password_change_not_allowed',
  /** 400 on password: the new password breaks the Configuration Server's policy. */
  PASSWORD_POLICY: 'password_policy',
  /** 503: the gateway is up but cannot reach its Configuration Server. */
  CONFIG_SERVER_UNAVAILABLE: 'config_server_unavailable',
} as const;

/** Request headers every call carries. */
export const GATEWAY_HEADERS = {
  APPLICATION: 'x-cfg-application',
  CONFIG_SERVER: 'x-cfg-server',
  REQUEST_ID: 'x-request-id',
} as const;
