import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { envInt, envUrl } from '@cxauth/platform';

const pemFile = z
  .string()
  .min(1)
  .refine((path) => {
    try {
      return readFileSync(path, 'utf8').includes('-----BEGIN CERTIFICATE-----');
    } catch {
      return false;
    }
  }, 'must be a readable PEM file with at least one certificate');

/** Contact-center directories: the Configuration Server gateway, LDAP, Consul discovery (docs/users.md). */
export const directoriesConfigSchema = z.object({
  /** A central gateway for every environment (the selected Configuration Server goes in X-Cfg-Server). */
  CONFIG_SERVER_GATEWAY_URL: envUrl(/^https?:\/\//, 'an http(s):// URL').optional(),
  /** PEM CA for gateways of environments with `tlsEnabled` (the system store when unset). */
  CONFIG_SERVER_TLS_CA_FILE: pemFile.optional(),
  /** Person profiles are reused this long for token refreshes and subject lookups (never passwords). */
  DIRECTORY_PROFILE_CACHE_SECONDS: envInt(0, 3600).default(60),
  /** Consecutive transport failures that open an endpoint's circuit (traffic moves to the next one). */
  DIRECTORY_FAILURE_THRESHOLD: envInt(1, 100).default(1),
  /** How often an endpoint with an open circuit is probed; the first success brings it back. */
  DIRECTORY_PROBE_INTERVAL_MS: envInt(100, 600_000).default(5_000),
  /** Consul's HTTP API, e.g. https://consul.example.com:443; set = discovery of `*.service[.<dc>].consul` addresses. */
  CONSUL_URL: envUrl(/^https?:\/\//, 'an http(s):// URL').optional(),
  CONSUL_TOKEN: z.string().min(1).optional(),
  CONSUL_DATACENTER: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a datacenter name')
    .optional(),
  CONSUL_CA_FILE: pemFile.optional(),
  /** Longest wait of one blocking query. */
  CONSUL_WAIT_SECONDS: envInt(1, 600).default(30),
});

export type DirectoriesConfig = z.infer<typeof directoriesConfigSchema>;
