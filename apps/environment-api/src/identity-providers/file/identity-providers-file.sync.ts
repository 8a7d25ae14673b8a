import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AUDIT_LOG, type AuditLog, DomainException } from '@cxauth/domain';
import { APP_CONFIG, SERVICE_LOGGER } from '@cxauth/platform';
import type { EnvironmentApiConfig } from '../../environment-api.config';
import { FileApplyResult, FileIdentityProvider, IdentityProviderService } from '../identity-provider.service';
import {
  IdentityProvidersFileError,
  MAX_FILE_BYTES,
  parseIdentityProvidersFile,
} from './identity-providers-file.parser';

type FileConfig = Pick<
  EnvironmentApiConfig,
  'IDENTITY_PROVIDERS_FILE' | 'IDENTITY_PROVIDERS_POLL_SECONDS' | 'LOCATION' | 'FORCE_WRITABLE'
>;

/** The audit trail's actor of the changes the file makes. */
const FILE_ACTOR = 'IDENTITY_PROVIDERS_FILE';

/** What one look at the file did (the tests read it). */
export type SyncOutcome = 'unchanged' | 'applied' | 'read-only region' | 'refused';

/**
 * Applies IDENTITY_PROVIDERS_FILE (the charts' `identityProviders` values, a mounted Secret): at boot,
 * where an unreadable or invalid file stops the boot, then every IDENTITY_PROVIDERS_POLL_SECONDS
 * (Kubernetes updates a mounted Secret in place), where an invalid file is logged and the providers
 * stay as they are. A file is parsed and validated as a whole when its content changes; every poll then
 * makes the database match it in one transaction (IdentityProviderService.applyFile), writing only
 * what differs, so a provider removed behind the file's back, or the provider of a contact center
 * created (or re-created) since, is back at the next poll.
 */
@Injectable()
export class IdentityProvidersFileSync implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<SyncOutcome>;
  /** sha256 of the content last applied (or refused), and its providers waiting for their contact center (logged once). */
  private applied?: string;
  private refused?: string;
  private waiting: FileIdentityProvider[] = [];
  private parsed?: { digest: string; providers: FileIdentityProvider[] };
  /** Why the file could not be read at the last poll (logged once). */
  private unreadable?: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: FileConfig,
    private readonly dataSource: DataSource,
    private readonly identityProviders: IdentityProviderService,
    @Inject(SERVICE_LOGGER) private readonly logger: Logger,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.IDENTITY_PROVIDERS_FILE) return;
    // At boot a bad file is fatal: the pod does not become ready and a rollout stops at it. A database
    // failure is not the file's fault: logged, and the next poll tries again.
    try {
      await this.apply(this.config.IDENTITY_PROVIDERS_FILE);
    } catch (error) {
      if (error instanceof IdentityProvidersFileError) throw error;
      this.logger.error(
        { err: error },
        `identity providers file ${this.config.IDENTITY_PROVIDERS_FILE} not applied at boot; retried every poll`,
      );
    }
    this.timer = setInterval(() => void this.sync(), this.config.IDENTITY_PROVIDERS_POLL_SECONDS * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One poll: never throws; an invalid file is logged once per content and changes nothing. */
  sync(): Promise<SyncOutcome> {
    const file = this.config.IDENTITY_PROVIDERS_FILE;
    if (!file) return Promise.resolve('unchanged');
    this.running ??= this.apply(file)
      .catch((error: unknown): SyncOutcome => {
        const message = error instanceof Error ? error.message : String(error);
        if (!(error instanceof IdentityProvidersFileError)) {
          this.logger.error({ err: error }, `identity providers file ${file} not applied: ${message}`);
        }
        return 'refused';
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async apply(file: string): Promise<SyncOutcome> {
    const text = await this.read(file);
    const digest = createHash('sha256').update(text).digest('hex');
    if (digest === this.refused) return 'refused';
    let providers: FileIdentityProvider[];
    if (this.parsed?.digest === digest) providers = this.parsed.providers;
    else {
      try {
        providers = await parseIdentityProvidersFile(text);
      } catch (error) {
        if (!(error instanceof IdentityProvidersFileError)) throw error;
        throw await this.refuse(file, digest, error.message);
      }
      this.parsed = { digest, providers };
    }
    this.refused = undefined;
    if (await this.readOnlyRegion()) {
      if (this.applied !== digest)
        this.logger.info(`identity providers file ${file} valid; not applied here: this region is read-only`);
      this.applied = digest;
      this.waiting = [];
      return 'read-only region';
    }
    let result: FileApplyResult;
    try {
      result = await this.identityProviders.applyFile(providers);
    } catch (error) {
      // A provider the database cannot take as given (e.g. no secret for a new client id): rolled back.
      if (!(error instanceof DomainException)) throw error;
      throw await this.refuse(file, digest, error.message);
    }
    for (const { contactCenterId, type, change } of result.changes) {
      this.logger.info({ contactCenterId, type, change }, `identity provider ${change} from ${file}`);
      await this.audit.record({
        type: change === 'removed' ? 'identity_provider_deleted' : 'identity_provider_changed',
        outcome: 'success',
        actor: FILE_ACTOR,
        target: contactCenterId,
        detail: { file, change, type },
      });
    }
    const waitingBefore = new Set(this.waiting.map((provider) => provider.contactCenterId));
    for (const provider of result.missing) {
      // Logged once per content: the poll retries it quietly until the contact center exists.
      if (this.applied !== digest || !waitingBefore.has(provider.contactCenterId))
        this.logger.error(
          { contactCenterId: provider.contactCenterId },
          `identity provider ${provider.at} of ${file} not applied: contact center ${provider.contactCenterId} does not exist (applied once it is created)`,
        );
    }
    if (this.applied !== digest || result.changes.length)
      this.logger.info(
        { changed: result.changes.length, unchanged: result.unchanged, waiting: result.missing.length },
        `identity providers file ${file} applied`,
      );
    const outcome = this.applied === digest && result.changes.length === 0 ? 'unchanged' : 'applied';
    this.applied = digest;
    this.waiting = result.missing;
    return outcome;
  }

  /** Content that is not applied: logged and audited once (this content is not tried again). */
  private async refuse(file: string, digest: string, reason: string): Promise<IdentityProvidersFileError> {
    this.refused = digest;
    this.logger.error(
      `identity providers file ${file} refused, nothing applied (the providers stay as they were): ${reason}`,
    );
    await this.audit.record({
      type: 'identity_provider_changed',
      outcome: 'failure',
      actor: FILE_ACTOR,
      target: null,
      detail: { file, error: 'IdentityProvidersFileError', reason: reason.slice(0, 1000) },
    });
    return new IdentityProvidersFileError(`IDENTITY_PROVIDERS_FILE ${file}: ${reason}`);
  }

  private async read(file: string): Promise<string> {
    let text: Buffer;
    try {
      text = await readFile(file);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      if (this.unreadable !== reason)
        this.logger.error(`identity providers file ${file} cannot be read (${reason}); nothing applied`);
      this.unreadable = reason;
      throw new IdentityProvidersFileError(`IDENTITY_PROVIDERS_FILE ${file} cannot be read (${reason})`);
    }
    this.unreadable = undefined;
    if (text.length > MAX_FILE_BYTES) {
      this.logger.error(`identity providers file ${file} is larger than ${MAX_FILE_BYTES} bytes; nothing applied`);
      throw new IdentityProvidersFileError(`IDENTITY_PROVIDERS_FILE ${file} is larger than ${MAX_FILE_BYTES} bytes`);
    }
    return text.toString('utf8');
  }

  /** The region's data-center record says read-only (and FORCE_WRITABLE is off): the writable region applies. */
  private async readOnlyRegion(): Promise<boolean> {
    if (this.config.FORCE_WRITABLE) return false;
    const rows: { read_only: boolean }[] = await this.dataSource.query(
      'SELECT read_only FROM data_center WHERE location = $1',
      [this.config.LOCATION.toLowerCase()],
    );
    return rows[0]?.read_only === true;
  }
}
