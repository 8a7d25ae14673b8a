import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditLogModule, DatabaseCorsModule, DatabaseModule, ReadOnlyRegionGuard } from '@cxauth/persistence';
import { ConfigModule, OpsSecurityModule, RedisModule, SecretBox } from '@cxauth/platform';
import { ContactCenterController } from './contact-centers/contact-center.controller';
import { ContactCenterService } from './contact-centers/contact-center.service';
import { CorsController } from './cors/cors.controller';
import { CorsService } from './cors/cors.service';
import { DataCenterController } from './data-centers/data-center.controller';
import { DataCenterService } from './data-centers/data-center.service';
import type { EnvironmentApiConfig } from './environment-api.config';
import { EnvironmentController } from './environments/environment.controller';
import { EnvironmentService } from './environments/environment.service';
import { IdentityProviderController } from './identity-providers/identity-provider.controller';
import { IdentityProviderService } from './identity-providers/identity-provider.service';
import { IdentityProvidersFileSync } from './identity-providers/file/identity-providers-file.sync';
import { BearerTokenValidator } from './security/bearer-token-validator';
import { EnvironmentAuthGuard } from './security/environment-auth.guard';
import { CallerTenants } from './security/caller-tenants';
import { TenantScopeGuard } from './security/tenant-scope.guard';

@Module({})
export class AppModule {
  static forRoot(config: EnvironmentApiConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(config),
        RedisModule.forRoot(config),
        OpsSecurityModule,
        DatabaseCorsModule,
        AuditLogModule,
      ],
      controllers: [
        EnvironmentController,
        ContactCenterController,
        IdentityProviderController,
        CorsController,
        DataCenterController,
      ],
      providers: [
        BearerTokenValidator,
        CallerTenants,
        SecretBox,
        EnvironmentService,
        ContactCenterService,
        IdentityProviderService,
        IdentityProvidersFileSync,
        CorsService,
        DataCenterService,
        // Order matters: who is calling (401/403), what they may write (403), then whether this region
        // takes writes (403 code 10).
        { provide: APP_GUARD, useClass: EnvironmentAuthGuard },
        { provide: APP_GUARD, useClass: TenantScopeGuard },
        { provide: APP_GUARD, useClass: ReadOnlyRegionGuard },
      ],
    };
  }
}
