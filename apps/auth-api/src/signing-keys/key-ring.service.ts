import { createPrivateKey, type JsonWebKey, type KeyObject, randomBytes, sign as signWithKey } from 'node:crypto';
import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createLocalJWKSet, exportJWK, generateKeyPair, JWK, JWTPayload, jwtVerify, JWTVerifyOptions } from 'jose';
import { DataSource, IsNull, MoreThan } from 'typeorm';
import { SIGNING_KEY_SEAL, SigningKeyEntity } from '@cxauth/persistence';
import { APP_CONFIG, REDIS, REDIS_SUBSCRIBER, RedisClient, SecretBox } from '@cxauth/platform';
import type { AuthApiConfig } from '../auth-api.config';
import { AuthMetrics } from '../metrics/auth-metrics';

type Signer = (payload: JWTPayload) => Promise<string>;

interface LoadedKey {
  kid: string;
  alg: string;
  /** `typ: JWT`, and `typ: at+jwt` for RFC 9068 access tokens. */
  signers: { plain: Signer; accessToken: Signer };
  publicJwk: JWK;
  createdAt: Date;
  retiredAt: Date | null;
}

/** Safety-net reload of the keys (a notice on Redis is the fast path). */
const PERIODIC_RELOAD_MS = 60_000;
/** At most one reload per this interval for tokens whose kid is unknown here. */
const UNKNOWN_KID_RELOAD_INTERVAL_MS = 5_000;

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * JWS compact signers for one private key (RFC 7515 §7.1; ES256 signatures in the IEEE P1363 form
 * RFC 7518 §3.4 asks for, RS256 as PKCS #1 v1.5). The signature runs in node:crypto's thread pool, so
 * it overlaps with the event loop — about 8 µs of event-loop time per ES256 signature, against 26 µs for
 * a synchronous sign and 16 µs through WebCrypto, which jose 6 uses (docs/performance.md). jose still
 * generates the keys, publishes the JWKS and verifies every token.
 */
function signersFor(privateJwk: JWK, alg: string, kid: string): LoadedKey['signers'] {
  const key: KeyObject = createPrivateKey({ key: privateJwk as JsonWebKey, format: 'jwk' });
  const options = alg.startsWith('ES') ? { key, dsaEncoding: 'ieee-p1363' as const } : { key };
  const signer = (typ: string): Signer => {
    const header = base64url({ alg, typ, kid });
    return (payload) => {
      const input = `${header}.${base64url(payload)}`;
      return new Promise((resolve, reject) => {
        signWithKey('sha256', Buffer.from(input), options, (error, signature) =>
          error ? reject(error) : resolve(`${input}.${signature.toString('base64url')}`),
        );
      });
    };
  };
  return { plain: signer('JWT'), accessToken: signer('at+jwt') };
}

/**
 * The JWT signing keys, held in memory (no database on the hot path). The newest key whose `created_at`
 * has come signs; a scheduled rotation publishes the next key before that instant (so relying parties
 * that cache the JWKS know it before it signs), and every replica switches to it at the same moment.
 * Rotated-out keys stay published in the JWKS and keep verifying for SIGNING_KEY_RETENTION_SECONDS, so
 * no issued token stops verifying at a rotation. A rotation on any replica makes every replica reload.
 */
@Injectable()
export class KeyRing implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(KeyRing.name);
  private keys: LoadedKey[] = [];
  private jwks: { keys: JWK[] } = { keys: [] };
  private verifySet = createLocalJWKSet({ keys: [] });
  private readonly channel: string;
  private expiryTimer?: NodeJS.Timeout;
  private lastUnknownKidReload = 0;
  private refreshTimer?: NodeJS.Timeout;
  private readonly onMessage = (channel: string) => {
    if (channel === this.channel) void this.reload().catch((error: Error) => this.logger.error(error.message));
  };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly secretBox: SecretBox,
    @Inject(APP_CONFIG) private readonly config: AuthApiConfig,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(REDIS_SUBSCRIBER) private readonly subscriber: RedisClient,
    metrics: AuthMetrics,
  ) {
    this.channel = `${config.REDIS_KEY_PREFIX}signing-keys:reload`;
    metrics.setSigningKeySource(() => this.signingKey()?.createdAt);
  }

  async onModuleInit(): Promise<void> {
    this.subscriber.on('message', this.onMessage);
    await this.subscriber.subscribe(this.channel);
    await this.reload();
    if (!this.keys.some((key) => key.retiredAt === null)) {
      await this.createKey();
      await this.reload();
    }
    // Keys written without a notice (the Helm chart's migrations Job imports a keystore) reach running
    // replicas' JWKS within this period.
    this.refreshTimer = setInterval(() => {
      void this.reload().catch((error: Error) => this.logger.error(error.message));
    }, PERIODIC_RELOAD_MS);
    this.refreshTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearTimeout(this.expiryTimer);
    clearInterval(this.refreshTimer);
    this.subscriber.off('message', this.onMessage);
    await this.subscriber.unsubscribe(this.channel).catch(() => undefined);
  }

  get issuer(): string {
    return `${this.config.PUBLIC_BASE_URL.replace(/\/+$/, '')}/auth/v3`;
  }

  /** The public JWK Set (`/auth/v3/jwks`). */
  publicJwks(): { keys: JWK[] } {
    return this.jwks;
  }

  sign(payload: JWTPayload, options: { typ?: 'at+jwt'; expiresInSeconds: number }): Promise<string> {
    const key = this.current();
    if (!key) throw new Error('no active signing key');
    const now = Math.floor(Date.now() / 1000);
    const sign = options.typ ? key.signers.accessToken : key.signers.plain;
    return sign({ ...payload, iss: this.issuer, iat: now, exp: now + options.expiresInSeconds });
  }

  /**
   * Verifies a JWT we signed (any published key); throws when invalid or expired. A kid this replica
   * has not loaded (a key the migrations Job imported, or a rotation whose notice was lost) makes it
   * reload the keys once, at most every few seconds, so forged kids cannot hammer the database.
   */
  async verify(token: string, options: JWTVerifyOptions = {}): Promise<JWTPayload> {
    const verifyOptions = { issuer: this.issuer, ...options };
    try {
      return (await jwtVerify(token, this.verifySet, verifyOptions)).payload;
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_JWKS_NO_MATCHING_KEY') throw error;
      if (Date.now() - this.lastUnknownKidReload < UNKNOWN_KID_RELOAD_INTERVAL_MS) throw error;
      this.lastUnknownKidReload = Date.now();
      await this.reload();
      return (await jwtVerify(token, this.verifySet, verifyOptions)).payload;
    }
  }

  /** The key that signs now: the newest one whose creation (activation) time has come. */
  signingKey(now = Date.now()): Pick<LoadedKey, 'kid' | 'createdAt'> | undefined {
    return this.current(now);
  }

  private current(now = Date.now()): LoadedKey | undefined {
    return this.keys.find((candidate) => candidate.createdAt.getTime() <= now);
  }

  /** Adds a new signing key (it signs from now on) and retires the previous ones after the retention. */
  rotate(): Promise<{ kid: string }> {
    return this.rotateAt(new Date());
  }

  /**
   * Adds a key that signs from `activatesAt` on (published in the JWKS at once) and retires the keys
   * before it SIGNING_KEY_RETENTION_SECONDS after that instant.
   */
  async rotateAt(activatesAt: Date): Promise<{ kid: string }> {
    const kid = await this.dataSource.transaction(async (manager) => {
      const retireAt = new Date(activatesAt.getTime() + this.config.SIGNING_KEY_RETENTION_SECONDS * 1000);
      await manager.getRepository(SigningKeyEntity).update({ retiredAt: IsNull() }, { retiredAt: retireAt });
      return this.createKey(manager.getRepository(SigningKeyEntity), activatesAt);
    });
    await this.reload();
    await this.redis.publish(this.channel, 'rotated').catch(() => undefined);
    return { kid };
  }

  /** Re-reads the keys still valid for verification, newest first. */
  async reload(): Promise<void> {
    const rows = await this.dataSource.getRepository(SigningKeyEntity).find({
      where: [{ retiredAt: IsNull() }, { retiredAt: MoreThan(new Date()) }],
      order: { createdAt: 'DESC' },
    });
    const loaded: LoadedKey[] = [];
    for (const row of rows) {
      const privateJwk = JSON.parse(this.openPrivateJwk(row)) as JWK;
      loaded.push({
        kid: row.kid,
        alg: row.algorithm,
        signers: signersFor(privateJwk, row.algorithm, row.kid),
        publicJwk: { ...row.publicJwk, kid: row.kid, alg: row.algorithm, use: 'sig' } as JWK,
        createdAt: row.createdAt,
        retiredAt: row.retiredAt,
      });
    }
    // Newest first: a published next key, then the one that signs, then retired ones that still verify.
    this.keys = loaded;
    this.jwks = { keys: loaded.map((key) => key.publicJwk) };
    this.verifySet = createLocalJWKSet(this.jwks);
    this.scheduleExpiry();
  }

  /**
   * The private JWK of a stored key. A key sealed in an older format or with a previous ENCRYPTION_KEY
   * is re-sealed with the current one (best effort), so old encryption keys can be retired.
   */
  private openPrivateJwk(row: SigningKeyEntity): string {
    const context = { purpose: SIGNING_KEY_SEAL, id: row.kid };
    const json = this.secretBox.open(row.encryptedPrivateJwk, context);
    if (!this.secretBox.isCurrent(row.encryptedPrivateJwk)) {
      const resealed = this.secretBox.seal(json, context);
      this.dataSource
        .getRepository(SigningKeyEntity)
        .update({ kid: row.kid, encryptedPrivateJwk: row.encryptedPrivateJwk }, { encryptedPrivateJwk: resealed })
        .catch((error: Error) => this.logger.warn(`could not re-seal signing key ${row.kid}: ${error.message}`));
    }
    return json;
  }

  /** Reloads when the next retired key runs out, so it leaves the JWKS and stops verifying on time. */
  private scheduleExpiry(): void {
    clearTimeout(this.expiryTimer);
    const next = Math.min(...this.keys.map((key) => key.retiredAt?.getTime() ?? Infinity));
    if (!Number.isFinite(next)) return;
    const delay = Math.min(Math.max(next - Date.now() + 1_000, 1_000), 2 ** 31 - 1);
    this.expiryTimer = setTimeout(() => {
      void this.reload().catch((error: Error) => this.logger.error(error.message));
    }, delay);
    this.expiryTimer.unref();
  }

  private async createKey(
    repository = this.dataSource.getRepository(SigningKeyEntity),
    activatesAt?: Date,
  ): Promise<string> {
    const alg = this.config.TOKEN_SIGNING_ALGORITHM;
    const { publicKey, privateKey } = await generateKeyPair(alg, {
      extractable: true,
      ...(alg === 'RS256' ? { modulusLength: 2048 } : {}),
    });
    const kid = randomBytes(12).toString('base64url');
    const entity = new SigningKeyEntity();
    entity.kid = kid;
    entity.algorithm = alg;
    entity.publicJwk = (await exportJWK(publicKey)) as Record<string, unknown>;
    entity.encryptedPrivateJwk = this.secretBox.seal(JSON.stringify(await exportJWK(privateKey)), {
      purpose: SIGNING_KEY_SEAL,
      id: kid,
    });
    entity.retiredAt = null;
    if (activatesAt) entity.createdAt = activatesAt;
    await repository.insert(entity as never);
    this.logger.log(`created ${alg} signing key ${kid}`);
    return kid;
  }
}
