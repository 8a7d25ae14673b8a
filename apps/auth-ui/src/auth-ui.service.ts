import type { ServiceDefinition } from '@cxauth/platform';
import { AppModule } from './app.module';
import type { AuthUiConfig } from './auth-ui.config';

export const AUTH_UI_PREFIX = 'ui/auth';

/** How auth-ui is assembled; used by main.ts, the local stack and the tests alike. */
export function authUiService(config: AuthUiConfig, overrides: Partial<ServiceDefinition> = {}): ServiceDefinition {
  return {
    name: 'auth-ui',
    module: AppModule.forRoot(config),
    config,
    configure: (app) => {
      app.setGlobalPrefix(AUTH_UI_PREFIX);
    },
    ...overrides,
  };
}
