import { Injectable } from '@nestjs/common';
import type { Algorithm, Options } from '@node-rs/argon2';
import { Argon2Gate } from '../crypto/argon2-gate';

/**
 * argon2id with the OWASP (2024) baseline: 19 MiB memory, 2 passes, 1 lane. The parameters are part
 * of each stored PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`), so raising them later keeps old
 * hashes verifiable.
 */
export const ARGON2ID_OPTIONS: Options = {
  algorithm: 2 as Algorithm, // Algorithm.Argon2id (a const enum; not inlinable under isolated modules)
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

const ARGON2ID_PREFIX = '$argon2id$';

@Injectable()
export class PasswordHasher {
  constructor(private readonly argon2: Argon2Gate) {}

  hash(password: string): Promise<string> {
    return this.argon2.hash(password, ARGON2ID_OPTIONS);
  }

  /** False (never an exception) for a wrong password or a stored value that is not argon2id. */
  async verify(storedHash: string, password: string): Promise<boolean> {
    if (!storedHash.startsWith(ARGON2ID_PREFIX)) return false;
    return this.argon2.verify(storedHash, password).catch(() => false);
  }

  /** Spends the time of one verification and answers false. */
  verifyDummy(password: string): Promise<false> {
    return this.argon2.verifyDummy(password);
  }
}
