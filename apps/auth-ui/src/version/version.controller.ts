import { Controller, Get, Header, Inject } from '@nestjs/common';
import { APP_CONFIG } from '@cxauth/platform';
import type { AuthUiConfig } from '../auth-ui.config';

/** `version.json` next to the pages, as the product's UI serves it. */
@Controller()
export class VersionController {
  constructor(@Inject(APP_CONFIG) private readonly config: AuthUiConfig) {}

  @Get('version.json')
  @Header('cache-control', 'no-cache')
  version(): { version: string } {
    return { version: this.config.APP_VERSION };
  }
}
