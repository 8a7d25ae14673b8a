import { Module } from '@nestjs/common';
import { Argon2Gate } from './argon2-gate';
import { SecretBox } from '@cxauth/platform';

@Module({ providers: [SecretBox, Argon2Gate], exports: [SecretBox, Argon2Gate] })
export class CryptoModule {}
