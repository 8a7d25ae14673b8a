import { RequestMethod } from '@nestjs/common';
import { registerCors, type ServiceDefinition } from '@cxauth/platform';
import { AppModule } from './app.module';
import type { AuthUiConfig } from './auth-ui.config';
import { UiCorsRuntime } from './cors/ui-cors-runtime.service';

export const AUTH_UI_PREFIX = 'ui/auth';

/** How auth-ui is assembled; used by main.ts, the local stack and the tests alike. */
export function authUiService(config: AuthUiConfig, overrides: Partial<ServiceDefinition> = {}): ServiceDefinition {
  return {
    name: 'auth-ui',
    module: AppModule.forRoot(config),
    config,
    configure: async (app, fastify) => {
      // The product's old path of the sign-in page stays served (route /auth/sign-in.html here at the ingress).
      app.setGlobalPrefix(AUTH_UI_PREFIX, { exclude: [{ path: 'auth/sign-in.html', method: RequestMethod.GET }] });
      const cors = app.get(UiCorsRuntime).policy;
      if (cors) registerCors(fastify, cors);
    },
    ...overrides,
  };
}
