import { registerCors, type ServiceDefinition } from '@cxauth/platform';
import { AppModule } from './app.module';
import { CorsRuntime } from '@cxauth/persistence';
import type { EnvironmentApiConfig } from './environment-api.config';

export const ENVIRONMENT_API_PREFIX = 'environment/v3';

/** How environment-api is assembled; used by main.ts, the local stack and the tests alike. */
export function environmentApiService(
  config: EnvironmentApiConfig,
  overrides: Partial<ServiceDefinition> = {},
): ServiceDefinition {
  return {
    name: 'environment-api',
    module: AppModule.forRoot(config),
    config,
    configure: async (app, fastify) => {
      app.setGlobalPrefix(ENVIRONMENT_API_PREFIX);
      registerCors(fastify, app.get(CorsRuntime).policy);
    },
    ...overrides,
  };
}
