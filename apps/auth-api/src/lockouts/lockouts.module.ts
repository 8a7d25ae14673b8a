import { Module } from '@nestjs/common';
import { OpsSecurityModule } from '@cxauth/platform';
import { LockoutController } from './lockout.controller';

@Module({ imports: [OpsSecurityModule], controllers: [LockoutController] })
export class LockoutsModule {}
