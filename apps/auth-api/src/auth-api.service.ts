import { CorsRuntime } from '@cxauth/persistence';
import { registerCors, type ServiceDefinition } from '@cxauth/platform';
import { AppModule } from './app.module';
import type { AuthApiConfig } from './auth-api.config';
import { renderAuthApiError } from './oauth/oauth.error';

export const AUTH_API_PREFIX = 'auth/v3';

/** How auth-api is assembled; used by main.ts, the local stack and the tests alike. */
export function authApiService(config: AuthApiConfig, overrides: Partial<ServiceDefinition> = {}): ServiceDefinition {
  return {
    name: 'auth-api',
    module: AppModule.forRoot(config),
    config,
    // RFC 6749 `{"error","error_description"}` on /auth/v3/oauth/*, the envelope elsewhere.
    renderError: renderAuthApiError,
    // application/x-www-form-urlencoded bodies (token endpoint, sign-in form) are parsed by Nest's
    // Fastify adapter (@fastify/formbody).
    configure: async (app, fastify) => {
      app.setGlobalPrefix(AUTH_API_PREFIX);
      // The same origins as environment-api (cors-origins settings and the /cors API), shared in PostgreSQL.
      await registerCors(fastify, app.get(CorsRuntime).policy);
    },
    ...overrides,
  };
}
