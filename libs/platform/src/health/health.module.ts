import { DynamicModule, Inject, Injectable, Module, Optional } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService, TerminusModule, type HealthCheckResult } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { REDIS } from '../redis/redis.module';
import type { RedisClient } from '../redis/create-redis-client';
import { withTimeout } from './readiness';

export const HEALTH_CHECK_TIMEOUT_MS = 1_000;

/**
 * Liveness says the process is serving; readiness adds its dependencies (Postgres `SELECT 1`,
 * Redis `PING`), each bounded so a hung dependency turns the pod unready instead of hanging the probe.
 */
@Injectable()
export class HealthService {
  private shuttingDown = false;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Optional() private readonly dataSource?: DataSource,
    @Optional() @Inject(REDIS) private readonly redis?: RedisClient,
  ) {}

  markShuttingDown(): void {
    this.shuttingDown = true;
  }

  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * `GET /health`, the path the Genesys chart's probes use for both liveness and readiness: up while
   * the process serves, down once it drains. Dependencies are left out, so used as a liveness probe it
   * never restarts a pod because PostgreSQL or Redis blinked.
   */
  serving(): { ok: boolean; body: { status: 'UP' | 'DOWN' } } {
    return this.shuttingDown ? { ok: false, body: { status: 'DOWN' } } : { ok: true, body: { status: 'UP' } };
  }

  /** Resolves with terminus' result; `ok` false means answer 503. */
  async ready(): Promise<{ ok: boolean; result: HealthCheckResult }> {
    const checks = [() => this.probe('process', async () => this.assertNotShuttingDown())];
    const dataSource = this.dataSource;
    if (dataSource) checks.push(() => this.probe('postgres', () => dataSource.query('SELECT 1')));
    const redis = this.redis;
    if (redis) checks.push(() => this.probe('redis', () => redis.ping()));
    try {
      return { ok: true, result: await this.health.check(checks) };
    } catch (error) {
      const response = (error as { getResponse?: () => HealthCheckResult }).getResponse?.();
      if (response) return { ok: false, result: response };
      throw error;
    }
  }

  private assertNotShuttingDown(): void {
    if (this.shuttingDown) throw new Error('shutting down');
  }

  private async probe(name: string, work: () => Promise<unknown> | unknown) {
    const indicator = this.indicators.check(name);
    try {
      await withTimeout(Promise.resolve().then(work), HEALTH_CHECK_TIMEOUT_MS, name);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}

@Module({})
export class HealthModule {
  static forRoot(): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      providers: [HealthService],
      exports: [HealthService],
    };
  }
}
