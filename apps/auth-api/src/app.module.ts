import { DynamicModule, Module } from '@nestjs/common';
import { DatabaseCorsModule, DatabaseModule } from '@cxauth/persistence';
import { ConfigModule, RedisModule } from '@cxauth/platform';
import type { AuthApiConfig } from './auth-api.config';
import { AuthorizationCodesModule } from './authorization-codes/authorization-codes.module';
import { ClientsModule } from './clients/clients.module';
import { TokenModule } from './token/token.module';
import { TokensModule } from './tokens/tokens.module';
import { DiscoveryModule } from './discovery/discovery.module';
import { IntrospectionModule } from './introspection/introspection.module';
import { SignOutModule } from './sign-out/sign-out.module';
import { SigningKeysModule } from './signing-keys/signing-keys.module';
import { UserInfoModule } from './userinfo/userinfo.module';
import { UsersModule } from './users/users.module';
import { AuthorizeModule } from './authorize/authorize.module';
import { SessionModule } from './session/session.module';
import { SignInModule } from './sign-in/sign-in.module';
import { AuthMetricsModule } from './metrics/metrics.module';
import { HousekeepingModule } from './housekeeping/housekeeping.module';
import { LockoutsModule } from './lockouts/lockouts.module';
import { AuditModule } from './audit/audit.module';

@Module({})
export class AppModule {
  static forRoot(config: AuthApiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(config),
        RedisModule.forRoot(config),
        AuthMetricsModule,
        DatabaseCorsModule,
        AuditModule,
        ClientsModule,
        AuthorizationCodesModule,
        TokensModule,
        TokenModule,
        UserInfoModule,
        IntrospectionModule,
        DiscoveryModule,
        SigningKeysModule,
        SignOutModule,
        UsersModule,
        SessionModule,
        AuthorizeModule,
        SignInModule,
        HousekeepingModule,
        LockoutsModule,
      ],
    };
  }
}
