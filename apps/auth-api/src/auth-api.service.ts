import type { ServiceDefinition } from '@cxauth/platform';
import { AppModule } from './app.module';
import type { AuthApiConfig } from './auth-api.config';

export const AUTH_API_PREFIX = 'auth/v3';

/** How auth-api is assembled; used by main.ts, the local stack and the tests alike. */
export function authApiService(config: AuthApiConfig, overrides: Partial<ServiceDefinition> = {}): ServiceDefinition {
  return {
    name: 'auth-api',
    module: AppModule.forRoot(config),
    config,
    configure: (app) => {
      app.setGlobalPrefix(AUTH_API_PREFIX);
    },
    ...overrides,
  };
}
