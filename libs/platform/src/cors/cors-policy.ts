import type { Logger } from 'pino';
import { normalizeOrigin } from './cors-origins';

export type CorsDefault = 'allow' | 'deny';

/** Where the configured origins come from (the database, or environment-api over HTTP for auth-ui). */
export type CorsOriginLoader = () => Promise<string[]>;

export interface CorsPolicyOptions {
  load: CorsOriginLoader;
  /** With no origin configured at all: allow every origin (the product's behaviour) or deny. */
  defaultPolicy: CorsDefault;
  /** Safety-net reload period; changes normally arrive by notification (Redis pub/sub). 0 = off. */
  refreshIntervalMs: number;
  logger?: Logger;
}

/**
 * The in-memory view of the allowed origins. `refresh()` reloads it (on a change notification, on a
 * timer, at boot); a failed reload keeps the last known list, so a database blip never opens or
 * closes CORS by accident. Until the first successful load the default applies only if it is deny.
 */
export class CorsPolicy {
  private origins = new Set<string>();
  private loaded = false;
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private pending = false;

  constructor(private readonly options: CorsPolicyOptions) {}

  get defaultPolicy(): CorsDefault {
    return this.options.defaultPolicy;
  }

  /** The configured origins (normalised, sorted). */
  get allowedOrigins(): string[] {
    return [...this.origins].sort();
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  /**
   * Whether a cross-origin page may read answers. `Origin: null` (sandboxed frames, file: pages,
   * redirects across origins) names no one and is never allowed, whatever the default.
   */
  isAllowed(origin: string): boolean {
    if (origin === 'null') return false;
    if (this.origins.size === 0) return this.loaded ? this.options.defaultPolicy === 'allow' : false;
    return this.isConfigured(origin);
  }

  /** Whether the origin is in the configured list: only those get credentialed CORS (cookies). */
  isConfigured(origin: string): boolean {
    if (this.origins.size === 0) return false;
    const normalized = normalizeOrigin(origin);
    return normalized !== null && this.origins.has(normalized);
  }

  /** Reloads now; concurrent calls coalesce into one extra reload after the running one. */
  refresh(): Promise<void> {
    if (this.inFlight) {
      this.pending = true;
      return this.inFlight;
    }
    this.inFlight = (async () => {
      try {
        do {
          this.pending = false;
          const loaded = await this.options.load();
          const next = new Set<string>();
          for (const value of loaded) {
            const origin = normalizeOrigin(value);
            if (origin) next.add(origin);
          }
          this.origins = next;
          this.loaded = true;
        } while (this.pending);
      } catch (error) {
        this.options.logger?.warn({ err: error }, 'CORS origins reload failed; keeping the last known list');
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }

  start(): Promise<void> {
    if (this.options.refreshIntervalMs > 0 && !this.timer) {
      this.timer = setInterval(() => void this.refresh(), this.options.refreshIntervalMs);
      this.timer.unref();
    }
    return this.refresh();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
