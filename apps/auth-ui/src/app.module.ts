import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@cxauth/platform';
import type { AuthUiConfig } from './auth-ui.config';
import { UiCorsRuntime } from './cors/ui-cors-runtime.service';
import { AuthApiClient } from './pages/auth-api.client';
import { PagesController } from './pages/pages.controller';
import { VersionController } from './version/version.controller';

@Module({})
export class AppModule {
  static forRoot(config: AuthUiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config)],
      controllers: [VersionController, PagesController],
      providers: [AuthApiClient, UiCorsRuntime],
    };
  }
}
