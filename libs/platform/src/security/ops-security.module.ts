import { Module } from '@nestjs/common';
import { OpsBasicAuthGuard } from './ops-basic-auth.guard';
import { OpsCredentials } from './ops-credentials';

/** The ops credential check and its guard; needs ConfigModule with ADMIN_USERNAME/ADMIN_PASSWORD. */
@Module({ providers: [OpsCredentials, OpsBasicAuthGuard], exports: [OpsCredentials, OpsBasicAuthGuard] })
export class OpsSecurityModule {}
