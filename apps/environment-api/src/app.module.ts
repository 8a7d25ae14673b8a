import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule } from '@cxauth/persistence';
import { ConfigModule, RedisModule } from '@cxauth/platform';
import type { EnvironmentApiConfig } from './environment-api.config';

@Module({})
export class AppModule {
  static forRoot(config: EnvironmentApiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(config), RedisModule.forRoot(config)],
    };
  }
}
