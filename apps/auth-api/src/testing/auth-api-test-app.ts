import Redis from 'ioredis';
import { createTestApp, createTestStorage, TestApp, TestDatabase, TEST_REDIS_URL } from '@cxauth/testing';
import { authApiConfigSchema } from '../auth-api.config';
import { authApiService } from '../auth-api.service';

export interface AuthApiTestContext {
  app: TestApp;
  database: TestDatabase;
  env: Record<string, string>;
  /** A Redis connection without the app's key prefix (assertions use `prefix + key`). */
  redis: Redis;
  prefix: string;
  close(): Promise<void>;
}

/** A real auth-api on a private Postgres database and a private Redis key prefix. */
export async function startAuthApi(extraEnv: Record<string, string> = {}): Promise<AuthApiTestContext> {
  const { database, env } = await createTestStorage();
  const fullEnv = { ...env, ...extraEnv };
  const app = await createTestApp(authApiConfigSchema, authApiService, fullEnv);
  const redis = new Redis(TEST_REDIS_URL);
  return {
    app,
    database,
    env: fullEnv,
    redis,
    prefix: fullEnv.REDIS_KEY_PREFIX!,
    close: async () => {
      await app.close();
      redis.disconnect();
      await database.drop();
    },
  };
}

export const OPS = { username: 'ops', password: 'ops' };

/** The seed 001 "create client" body, verbatim. */
export const SEED_CREATE_CLIENT_BODY = `{"data": {
    "name": "external_api_client",
    "clientType": "CONFIDENTIAL",
    "internalClient": true,
    "refreshTokenExpirationTimeout": 43200,
    "client_id": "external_api_client",
    "client_secret": "",
    "authorities": ["ROLE_INTERNAL_CLIENT"],
    "scope": ["*"],
    "authorizedGrantTypes": ["client_credentials", "authorization_code", "refresh_token", "password"],
    "redirectURIs": ["https://gauth.example.com","https://wwe.example.com","https://gws.example.com","https://prov.example.com"],
    "accessTokenExpirationTimeout": 43200
    }
}`;

/** Creates a client through the ops API; returns the create answer's `data` (with the secret). */
export async function createClient(app: TestApp, data: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await app.http().post('/auth/v3/ops/clients').auth(OPS.username, OPS.password).send({ data });
  if (response.status !== 200)
    throw new Error(`create client failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.data as Record<string, unknown>;
}
