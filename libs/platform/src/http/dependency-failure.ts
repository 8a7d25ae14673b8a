/**
 * Thrown before any other work when a request needs a store the service already knows is unreachable
 * (the Redis connection is not ready, the PostgreSQL circuit is open): the request is refused with 503
 * at once instead of doing work it cannot complete or waiting on a connection attempt.
 */
export class DependencyUnavailableError extends Error {
  constructor(readonly dependency: 'Redis' | 'PostgreSQL') {
    super(`${dependency} is unavailable`);
    this.name = 'DependencyUnavailableError';
  }
}

/**
 * Which store an error says is unreachable, or undefined for any other error. ioredis fails fast while
 * Redis is away (no offline queue) and pg refuses or times out connecting; both surface as plain errors
 * that would otherwise become a 500. They become 503 (code 14, OAuth `temporarily_unavailable`) instead.
 */
export function unavailableDependency(exception: unknown): 'Redis' | 'PostgreSQL' | undefined {
  // Duck-typed: errors from Node's own modules are not `instanceof Error` of every realm (jest's vm).
  for (let error = exception as ErrorLike | undefined, depth = 0; isErrorLike(error) && depth < 3; depth++) {
    const { message, name = '', code } = error;
    if (name === 'DependencyUnavailableError') return (error as DependencyUnavailableError).dependency;
    if (
      name === 'MaxRetriesPerRequestError' ||
      // OOM: full under noeviction; LOADING: restarting from its AOF; READONLY: a replica during failover.
      /^(Stream isn't writeable|Connection is closed|Command timed out|OOM |LOADING |READONLY )/.test(message) ||
      /ClusterAllFailedError|Failed to refresh slots cache|None of startup nodes is available/.test(name + message)
    ) {
      return 'Redis';
    }
    if (
      /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/.test(
        message,
      ) ||
      (typeof code === 'string' && PG_CONNECTION_CODES.has(code))
    ) {
      return 'PostgreSQL';
    }
    error = error.driverError ?? error.cause;
  }
  return undefined;
}

interface ErrorLike {
  message: string;
  name?: string;
  code?: unknown;
  driverError?: ErrorLike;
  cause?: ErrorLike;
}

function isErrorLike(error: unknown): error is ErrorLike {
  return typeof error === 'object' && error !== null && typeof (error as ErrorLike).message === 'string';
}

/** Socket errors of a connection attempt, and PostgreSQL's own "cannot connect now" / admin shutdown. */
const PG_CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);
