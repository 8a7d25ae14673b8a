import { z } from 'zod';
import { envelopeRequest, jsonBoolean, jsonInteger } from '@cxauth/platform';
import { locationSchema, uuidSchema } from '../../common/schemas';

/** A host name, IPv4 or IPv6 address (no scheme, no port). */
const hostSchema = z
  .string()
  .min(1)
  .max(255)
  .regex(
    /^(\[?[0-9A-Fa-f:.]+\]?|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)$/,
    'must be a host name or IP address',
  );

const portSchema = jsonInteger(1, 65535);
const timeoutSchema = jsonInteger(0, 3600);

export const TRACE_MODES = ['CFGTMNoTraceMode', 'CFGTMLocal', 'CFGTMRemote', 'CFGTMBoth'] as const;

export const configServerSchema = z.strictObject({
  primaryAddress: hostSchema,
  primaryPort: portSchema,
  backupAddress: hostSchema.optional(),
  backupPort: portSchema.optional(),
  readOnly: jsonBoolean.default(false),
  locations: locationSchema.default('/'),
});

const fields = {
  username: z.string().min(1).max(255),
  password: z.string().min(1).max(1024),
  connectionProtocol: z
    .string()
    .max(64)
    .regex(/^[A-Za-z0-9_-]*$/, 'must be a protocol name such as addp')
    .optional(),
  remoteTimeout: timeoutSchema.optional(),
  localTimeout: timeoutSchema.optional(),
  appName: z.string().min(1).max(255),
  traceMode: z.enum(TRACE_MODES).optional(),
  tlsEnabled: jsonBoolean.default(false),
  tenant: z.string().min(1).max(255).optional(),
  configServers: z.array(configServerSchema).min(1, 'must list at least one Configuration Server').max(32),
};

export const createEnvironmentSchema = envelopeRequest(z.strictObject({ id: uuidSchema.optional(), ...fields }));

/** PUT is partial: only the fields sent change; `configServers`, when sent, replaces the list. */
export const updateEnvironmentSchema = envelopeRequest(
  z.strictObject({
    id: uuidSchema.optional(),
    username: fields.username.optional(),
    password: fields.password.optional(),
    connectionProtocol: fields.connectionProtocol,
    remoteTimeout: fields.remoteTimeout,
    localTimeout: fields.localTimeout,
    appName: fields.appName.optional(),
    traceMode: fields.traceMode,
    tlsEnabled: jsonBoolean.optional(),
    tenant: fields.tenant,
    configServers: fields.configServers.optional(),
  }),
);

export type CreateEnvironmentRequest = z.infer<typeof createEnvironmentSchema>;
export type UpdateEnvironmentRequest = z.infer<typeof updateEnvironmentSchema>;
