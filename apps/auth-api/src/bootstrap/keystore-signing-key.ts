import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { toPem } from 'jks-js';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { DataSource } from 'typeorm';
import { IsNull } from 'typeorm';
import { SIGNING_KEY_SEAL, SigningKeyEntity } from '@cxauth/persistence';
import type { SecretBox } from '@cxauth/platform';

export interface KeystoreSource {
  file: string;
  password: string;
  alias: string;
  /** The key entry's password (JKS); the keystore password when unset. */
  keyPassword?: string;
}

export type KeystoreImportOutcome = { outcome: 'imported' | 'unchanged'; kid: string; algorithm: string };

/** Thrown with a message that names the problem, never a password. */
export class KeystoreImportError extends Error {
  override readonly name = 'KeystoreImportError';
}

/** The JWS algorithm for a key: RSA signs RS256 (the product's keytool -keyalg RSA), P-256 ES256. */
function algorithmOf(key: KeyObject): 'RS256' | 'ES256' {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new KeystoreImportError(
    `the key is ${key.asymmetricKeyType} ${key.asymmetricKeyDetails?.namedCurve ?? ''}: only RSA and EC P-256 keys can sign`.trim(),
  );
}

/** Reads the key entry of a JKS or PKCS#12 keystore (jks-js tells the two apart). */
export function readKeystoreKey(source: KeystoreSource): KeyObject {
  let entries: ReturnType<typeof toPem>;
  try {
    entries = toPem(readFileSync(source.file), source.password, source.keyPassword ?? source.password);
  } catch (error) {
    throw new KeystoreImportError(`cannot open keystore ${source.file}: ${(error as Error).message}`);
  }
  const entry = entries[source.alias] as { key?: string } | undefined;
  if (!entry?.key) {
    const aliases = Object.keys(entries).join(', ') || 'none';
    throw new KeystoreImportError(
      `keystore ${source.file} has no private key entry "${source.alias}" (entries: ${aliases})`,
    );
  }
  return createPrivateKey(entry.key);
}

/**
 * Makes the keystore's key the active JWT signing key, so tokens the replaced product signed with it
 * keep verifying and new ones are signed with the same key. The kid is the key's RFC 7638 thumbprint:
 * importing the same keystore again changes nothing, a new keystore's key takes over and the previous
 * keys keep verifying for the retention period (as after a rotation). The private key is stored
 * encrypted like every other signing key.
 */
export async function importKeystoreSigningKey(
  dataSource: DataSource,
  source: KeystoreSource,
  secretBox: SecretBox,
  retentionSeconds: number,
): Promise<KeystoreImportOutcome> {
  const privateKey = readKeystoreKey(source);
  const algorithm = algorithmOf(privateKey);
  const publicJwk = createPublicKey(privateKey).export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  return dataSource.transaction(async (manager) => {
    const repository = manager.getRepository(SigningKeyEntity);
    if (await repository.existsBy({ kid })) return { outcome: 'unchanged', kid, algorithm };
    const retireAt = new Date(Date.now() + retentionSeconds * 1000);
    await repository.update({ retiredAt: IsNull() }, { retiredAt: retireAt });
    const entity = new SigningKeyEntity();
    entity.kid = kid;
    entity.algorithm = algorithm;
    entity.publicJwk = publicJwk as Record<string, unknown>;
    entity.encryptedPrivateJwk = secretBox.seal(JSON.stringify(privateKey.export({ format: 'jwk' })), {
      purpose: SIGNING_KEY_SEAL,
      id: kid,
    });
    entity.retiredAt = null;
    await repository.insert(entity as never);
    return { outcome: 'imported', kid, algorithm };
  });
}
