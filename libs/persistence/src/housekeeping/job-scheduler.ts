import { Gauge, Histogram } from 'prom-client';
import type { Logger } from 'pino';
import type { DataSource, QueryRunner } from 'typeorm';
import { CachedCounter, type ServiceMetrics } from '@cxauth/platform';

/** The first int4 of every job's advisory lock key ('cxjb'); the second is the job's own number. */
const JOB_LOCK_CLASS = 0x63786a62;

/** A background job: idempotent, bounded per run, reports how many items it handled. */
export interface HousekeepingJob {
  /** Metric label and log name (a fixed string). */
  readonly name: string;
  /** Second half of the advisory lock key; unique per job. */
  readonly lockId: number;
  readonly intervalMs: number;
  /** Runs on the connection that holds the job's advisory lock. */
  run(connection: QueryRunner): Promise<number>;
}

export type JobOutcome = 'done' | 'skipped' | 'failed';

export interface JobRun {
  job: string;
  outcome: JobOutcome;
  items: number;
  durationMs: number;
}

/** `cxauth_job_*`: runs by outcome, items handled, duration and the last successful run per job. */
class JobMetrics {
  readonly runs: CachedCounter;
  readonly items: CachedCounter;
  readonly duration: Histogram<'job'>;
  readonly lastSuccess: Gauge<'job'>;

  constructor(metrics: ServiceMetrics) {
    const registers = [metrics.registry];
    this.runs = new CachedCounter({
      name: 'cxauth_job_runs_total',
      help: 'Background job runs by job and outcome (done, skipped: another replica holds the lock, failed)',
      labelNames: ['job', 'outcome'],
      registers,
    });
    this.items = new CachedCounter({
      name: 'cxauth_job_items_total',
      help: 'Rows deleted or keys rotated by background jobs, by job',
      labelNames: ['job'],
      registers,
    });
    this.duration = new Histogram({
      name: 'cxauth_job_duration_seconds',
      help: 'Duration of the background job runs that held the lock, by job',
      labelNames: ['job'],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
      registers,
    });
    this.lastSuccess = new Gauge({
      name: 'cxauth_job_last_success_timestamp_seconds',
      help: 'When a background job last completed on this replica (Unix time), by job',
      labelNames: ['job'],
      registers,
    });
  }
}

/**
 * Runs housekeeping jobs on a schedule on every replica; a PostgreSQL session advisory lock
 * (pg_try_advisory_lock) makes exactly one replica run a job at a time, and the others skip that
 * round. The first run of each job comes at a random point of its first interval, so replicas
 * started together do not all try at once.
 */
export class JobScheduler {
  private readonly metrics: JobMetrics;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<JobRun>>();
  private stopped = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: readonly HousekeepingJob[],
    metrics: ServiceMetrics,
    private readonly logger: Logger,
  ) {
    this.metrics = new JobMetrics(metrics);
  }

  start(): void {
    for (const job of this.jobs) this.schedule(job, Math.round(job.intervalMs * (0.5 + Math.random() / 2)));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  /** One run of a job (what the schedule does; tests and operators' tools call it directly). */
  async runOnce(name: string): Promise<JobRun> {
    const job = this.jobs.find((candidate) => candidate.name === name);
    if (!job) throw new Error(`unknown job ${name}`);
    const run = this.execute(job);
    this.running.add(run);
    try {
      return await run;
    } finally {
      this.running.delete(run);
    }
  }

  private schedule(job: HousekeepingJob, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      void this.runOnce(job.name).finally(() => this.schedule(job, job.intervalMs));
    }, delayMs);
    timer.unref();
    this.timers.set(job.name, timer);
  }

  private async execute(job: HousekeepingJob): Promise<JobRun> {
    const started = Date.now();
    const connection = this.dataSource.createQueryRunner();
    let outcome: JobOutcome = 'skipped';
    let items = 0;
    try {
      await connection.connect();
      const [lock] = (await connection.query('SELECT pg_try_advisory_lock($1, $2) AS locked', [
        JOB_LOCK_CLASS,
        job.lockId,
      ])) as { locked: boolean }[];
      if (lock?.locked) {
        try {
          items = await job.run(connection);
          outcome = 'done';
        } finally {
          await connection.query('SELECT pg_advisory_unlock($1, $2)', [JOB_LOCK_CLASS, job.lockId]);
        }
      }
    } catch (error) {
      outcome = 'failed';
      this.logger.error({ job: job.name, err: { message: (error as Error).message } }, 'job failed');
    } finally {
      await connection.release();
    }
    const durationMs = Date.now() - started;
    this.metrics.runs.inc(job.name, outcome);
    if (outcome === 'done') {
      this.metrics.items.inc(job.name, '', '', items);
      this.metrics.duration.observe({ job: job.name }, durationMs / 1000);
      this.metrics.lastSuccess.set({ job: job.name }, Date.now() / 1000);
      this.logger.info({ job: job.name, items, durationMs }, 'job done');
    } else if (outcome === 'skipped') {
      this.logger.debug({ job: job.name }, 'job skipped: another replica runs it');
    }
    return { job: job.name, outcome, items, durationMs };
  }
}
