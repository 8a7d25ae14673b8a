import { Global, Module } from '@nestjs/common';
import { Argon2Gate } from './argon2-gate';
import { PASSWORD_HASH_GATE, SecretBox } from '@cxauth/platform';

/** Global so the platform's OpsCredentials runs its bcrypt checks through the same gate (PASSWORD_HASH_GATE). */
@Global()
@Module({
  providers: [SecretBox, Argon2Gate, { provide: PASSWORD_HASH_GATE, useExisting: Argon2Gate }],
  exports: [SecretBox, Argon2Gate, PASSWORD_HASH_GATE],
})
export class CryptoModule {}
