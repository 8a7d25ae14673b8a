import { Module } from '@nestjs/common';
import { OpsSecurityModule } from '@cxauth/platform';
import { SigningKeyController } from './signing-key.controller';

@Module({ imports: [OpsSecurityModule], controllers: [SigningKeyController] })
export class SigningKeysModule {}
