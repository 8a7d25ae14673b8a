import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, CorsPolicy, httpCorsOriginLoader, SERVICE_LOGGER } from '@cxauth/platform';
import type { AuthUiConfig } from '../auth-ui.config';

/**
 * auth-ui has no database: with ENVIRONMENT_API_URL set it polls the configured origins from
 * environment-api (a failed poll keeps the last list; before the first success nothing cross-origin
 * is allowed). Without it there is no policy and auth-ui answers same-origin only.
 */
@Injectable()
export class UiCorsRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly policy?: CorsPolicy;

  constructor(@Inject(APP_CONFIG) config: AuthUiConfig, @Inject(SERVICE_LOGGER) logger: Logger) {
    if (!config.ENVIRONMENT_API_URL || !config.ADMIN_USERNAME || !config.ADMIN_PASSWORD) return;
    this.policy = new CorsPolicy({
      load: httpCorsOriginLoader({
        environmentApiUrl: config.ENVIRONMENT_API_URL,
        username: config.ADMIN_USERNAME,
        password: config.ADMIN_PASSWORD,
      }),
      defaultPolicy: config.CORS_DEFAULT,
      refreshIntervalMs: config.CORS_REFRESH_INTERVAL_MS,
      logger,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.policy?.start();
  }

  onApplicationShutdown(): void {
    this.policy?.stop();
  }
}
