import { RequestMethod } from '@nestjs/common';
import { registerCors, type ServiceDefinition } from '@cxauth/platform';
import { AppModule } from './app.module';
import type { AuthUiConfig } from './auth-ui.config';
import { UiCorsRuntime } from './cors/ui-cors-runtime.service';
import { notFoundPage } from './pages/page-frame';

export const AUTH_UI_PREFIX = 'ui/auth';

/** The product's old path of the sign-in page stays served outside the prefix (the ingress routes /auth/sign-in.html here). */
export const AUTH_UI_PREFIX_OPTIONS = { exclude: [{ path: 'auth/sign-in.html', method: RequestMethod.GET }] };

/** How auth-ui is assembled; used by main.ts, the local stack and the tests alike. */
export function authUiService(config: AuthUiConfig, overrides: Partial<ServiceDefinition> = {}): ServiceDefinition {
  return {
    name: 'auth-ui',
    module: AppModule.forRoot(config),
    config,
    renderNotFoundPage: notFoundPage(config.UI_PRODUCT_NAME),
    configure: async (app, fastify) => {
      app.setGlobalPrefix(AUTH_UI_PREFIX, AUTH_UI_PREFIX_OPTIONS);
      const cors = app.get(UiCorsRuntime).policy;
      if (cors) registerCors(fastify, cors);
    },
    ...overrides,
  };
}
