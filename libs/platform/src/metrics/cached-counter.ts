import { Counter, type CounterConfiguration } from 'prom-client';

type Child = { inc(value?: number): void };

/**
 * A labelled counter whose label children are created once per label combination and reused: on the
 * hot paths (token, userinfo) `counter.inc({...})` would build a label object and hash it on every
 * request. Callers pass only values from bounded sets, so the cache stays small. Up to three labels.
 */
export class CachedCounter {
  readonly counter: Counter<string>;
  private readonly arity: number;
  private readonly children = new Map<string, Child>();

  constructor(configuration: CounterConfiguration<string>) {
    this.counter = new Counter(configuration);
    this.arity = configuration.labelNames?.length ?? 0;
  }

  inc(a: string, b = '', c = '', value = 1): void {
    const key = `${a}\u0000${b}\u0000${c}`;
    let child = this.children.get(key);
    if (!child) {
      child = this.counter.labels(...[a, b, c].slice(0, this.arity));
      this.children.set(key, child);
    }
    child.inc(value);
  }
}
