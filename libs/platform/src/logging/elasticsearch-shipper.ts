import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Registry } from 'prom-client';
import { CachedCounter } from '../metrics/cached-counter';

export interface ElasticsearchShippingConfig {
  ELASTICSEARCH_URL?: string;
  ELASTICSEARCH_INDEX: string;
  ELASTICSEARCH_API_KEY?: string;
  ELASTICSEARCH_USERNAME?: string;
  ELASTICSEARCH_PASSWORD?: string;
  ELASTICSEARCH_CA_FILE?: string;
  ELASTICSEARCH_BATCH_LINES: number;
  ELASTICSEARCH_BUFFER_LINES: number;
  ELASTICSEARCH_FLUSH_INTERVAL_MS: number;
  ELASTICSEARCH_TIMEOUT_MS: number;
}

/** `{yyyy.MM.dd}` in the index pattern becomes the UTC date the batch is sent. */
export function indexName(pattern: string, now = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '.');
  return pattern.replaceAll('{yyyy.MM.dd}', day);
}

/**
 * A pino destination that ships log lines to Elasticsearch's `_bulk` API, off the request path: a
 * write only appends the (already redacted) line to a bounded buffer; a timer sends batches, one
 * request at a time. When Elasticsearch is slow or down the buffer fills and further lines are dropped
 * and counted; a failed batch is dropped and counted too (stdout still has every line).
 */
export class ElasticsearchShipper {
  private buffer: string[] = [];
  private inFlight = false;
  private readonly timer: NodeJS.Timeout;
  private readonly url: URL;
  private readonly headers: Record<string, string>;
  private readonly ca?: string;
  private lines?: CachedCounter;
  private pendingCounts = { shipped: 0, dropped_buffer_full: 0, dropped_failed: 0 };

  constructor(private readonly config: ElasticsearchShippingConfig & { ELASTICSEARCH_URL: string }) {
    this.url = new URL(
      '_bulk',
      config.ELASTICSEARCH_URL.endsWith('/') ? config.ELASTICSEARCH_URL : `${config.ELASTICSEARCH_URL}/`,
    );
    this.headers = { 'content-type': 'application/x-ndjson' };
    if (config.ELASTICSEARCH_API_KEY) this.headers.authorization = `ApiKey ${config.ELASTICSEARCH_API_KEY}`;
    else if (config.ELASTICSEARCH_USERNAME)
      this.headers.authorization = `Basic ${Buffer.from(`${config.ELASTICSEARCH_USERNAME}:${config.ELASTICSEARCH_PASSWORD ?? ''}`).toString('base64')}`;
    if (config.ELASTICSEARCH_CA_FILE) this.ca = readFileSync(config.ELASTICSEARCH_CA_FILE, 'utf8');
    this.timer = setInterval(() => this.flush(), config.ELASTICSEARCH_FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  /** Counts into the service's registry once it exists (the logger is created first). */
  register(registry: Registry): void {
    this.lines = new CachedCounter({
      name: 'cxauth_log_shipping_lines_total',
      help: 'Log lines sent to Elasticsearch, by outcome: shipped, dropped_buffer_full (slow or down), dropped_failed (a batch was refused)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    for (const [outcome, count] of Object.entries(this.pendingCounts)) this.count(outcome, count);
  }

  /** pino's DestinationStream. */
  write(line: string): void {
    if (this.buffer.length >= this.config.ELASTICSEARCH_BUFFER_LINES) {
      this.count('dropped_buffer_full', 1);
      return;
    }
    this.buffer.push(line);
    if (this.buffer.length >= this.config.ELASTICSEARCH_BATCH_LINES) setImmediate(() => this.flush());
  }

  /** Sends what the buffer holds (one batch); resolves when that request has ended. */
  flush(): Promise<void> {
    if (this.inFlight || this.buffer.length === 0) return Promise.resolve();
    const batch = this.buffer.splice(0, this.config.ELASTICSEARCH_BATCH_LINES);
    const action = `${JSON.stringify({ create: { _index: indexName(this.config.ELASTICSEARCH_INDEX) } })}\n`;
    const body = batch.map((line) => action + (line.endsWith('\n') ? line : `${line}\n`)).join('');
    this.inFlight = true;
    return this.send(body)
      .then((ok) => this.count(ok ? 'shipped' : 'dropped_failed', batch.length))
      .finally(() => {
        this.inFlight = false;
      });
  }

  close(): void {
    clearInterval(this.timer);
  }

  /** True when Elasticsearch took the batch (2xx and no item errors). */
  private send(body: string): Promise<boolean> {
    const request = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      const req = request(
        this.url,
        {
          method: 'POST',
          headers: { ...this.headers, 'content-length': Buffer.byteLength(body) },
          timeout: this.config.ELASTICSEARCH_TIMEOUT_MS,
          ...(this.ca && { ca: this.ca }),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const ok = (res.statusCode ?? 500) < 300 && !/"errors"\s*:\s*true/.test(Buffer.concat(chunks).toString());
            resolve(ok);
          });
          res.on('error', () => resolve(false));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve(false));
      req.end(body);
    });
  }

  private count(outcome: string, lines: number): void {
    if (lines === 0) return;
    if (this.lines) this.lines.inc(outcome, '', '', lines);
    else this.pendingCounts[outcome as keyof typeof this.pendingCounts] += lines;
  }
}
