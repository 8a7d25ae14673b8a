import { CorsRuntime } from '@cxauth/persistence';
import { type DirectControllers, registerCors, registerDirectRoutes, type ServiceDefinition } from '@cxauth/platform';
import { AppModule } from './app.module';
import type { AuthApiConfig } from './auth-api.config';
import { INTROSPECTION_ROUTES } from './introspection/introspection.endpoint';
import { TOKEN_ROUTES } from './token/token.endpoint';
import { USER_INFO_ROUTES } from './userinfo/userinfo.endpoint';
import { renderAuthApiError } from './oauth/oauth-error.renderer';

export const AUTH_API_PREFIX = 'auth/v3';

/** The endpoints other services call on every request, served without Nest's router (see DirectController). */
export const AUTH_API_DIRECT_ROUTES: DirectControllers = [TOKEN_ROUTES, INTROSPECTION_ROUTES, USER_INFO_ROUTES];

/** How auth-api is assembled; used by main.ts, the local stack and the tests alike. */
export function authApiService(config: AuthApiConfig, overrides: Partial<ServiceDefinition> = {}): ServiceDefinition {
  return {
    name: 'auth-api',
    module: AppModule.forRoot(config),
    config,
    // RFC 6749 `{"error","error_description"}` on /auth/v3/oauth/*, the envelope elsewhere.
    renderError: renderAuthApiError,
    // application/x-www-form-urlencoded bodies (token endpoint, sign-in form) are parsed by the
    // platform (configureBodyParsing).
    configure: async (app, fastify) => {
      app.setGlobalPrefix(AUTH_API_PREFIX);
      // The same origins as environment-api (cors-origins settings and the /cors API), shared in PostgreSQL.
      registerCors(fastify, app.get(CorsRuntime).policy);
      registerDirectRoutes(app, fastify, AUTH_API_PREFIX, AUTH_API_DIRECT_ROUTES);
    },
    ...overrides,
  };
}
