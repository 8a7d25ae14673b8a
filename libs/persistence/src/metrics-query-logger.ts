import type { Logger as TypeOrmLogger } from 'typeorm';
import type { ServiceMetrics } from '@cxauth/platform';

/**
 * TypeORM's logger hook, used only to count PostgreSQL errors (`cxauth_postgres_errors_total`).
 * Integrity-constraint violations (SQLSTATE class 23, e.g. a duplicate client id answered with 409)
 * are expected answers, not failures, and are not counted. Nothing is logged from here: statements
 * and their parameters may carry secrets.
 */
export class MetricsQueryLogger implements TypeOrmLogger {
  constructor(private readonly metrics: ServiceMetrics) {}

  logQuery(): void {
    // Not logged: statements run thousands of times a second and their parameters may be secret.
  }

  logQueryError(error: string | Error): void {
    const code = typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
    if (typeof code === 'string' && code.startsWith('23')) return;
    this.metrics.postgresErrors.inc('query');
  }

  logQuerySlow(): void {
    // Not logged (the migrate runner reports migrations itself).
  }

  logSchemaBuild(): void {
    // Not logged (the migrate runner reports migrations itself).
  }

  logMigration(): void {
    // Not logged (the migrate runner reports migrations itself).
  }

  /** TypeORM reports a pool connection's error (server gone, connection reset) as a warning. */
  log(level: 'log' | 'info' | 'warn'): void {
    if (level === 'warn') this.metrics.postgresErrors.inc('connection');
  }
}
