import {
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { catchError, concatMap, from, type Observable, throwError } from 'rxjs';
import { AUDIT_LOG, type AuditEventType, type AuditLog, auditOrigin } from '@cxauth/domain';
import { parseBasicAuthorization } from '../security/authorization-header';

const AUDITED = Symbol('AUDITED');

/** What an ops operation acted on: from the route (`:clientId`, `:id`) or the answer's `data`. */
type TargetOf = (request: FastifyRequest, answer: unknown) => string | null | undefined;

interface AuditedOperation {
  type: AuditEventType;
  target: TargetOf;
}

/**
 * Records an operation in the audit trail, refused or done. The actor is the caller the service's
 * guard identified (`request.principal.username`: the ops user or a bearer token's subject), else the
 * HTTP Basic user name.
 */
export function Audited(type: AuditEventType, target: TargetOf) {
  return applyDecorators(SetMetadata(AUDITED, { type, target }), UseInterceptors(AuditedInterceptor));
}

export const routeParam =
  (name: string): TargetOf =>
  (request) =>
    (request.params as Record<string, string> | undefined)?.[name];

/** The route's `:id`, else the last segment of the answer's `path` (a created resource). */
export const resourceId: TargetOf = (request, answer) => {
  const id = routeParam('id')(request, answer);
  if (id) return id;
  const path = (answer as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? path.slice(path.lastIndexOf('/') + 1) : null;
};

/** A field of the answer's `data`, else (a refused request) of the request body's `data`. */
export const answerField =
  (name: string): TargetOf =>
  (request, answer) => {
    for (const source of [answer, request.body]) {
      const value = (source as { data?: Record<string, unknown> } | undefined)?.data?.[name];
      if (typeof value === 'string') return value;
    }
    return null;
  };

function actorOf(request: FastifyRequest): string | null {
  const principal = (request as FastifyRequest & { principal?: { username?: unknown } }).principal;
  if (typeof principal?.username === 'string') return principal.username;
  return parseBasicAuthorization(request.headers.authorization)?.username ?? null;
}

@Injectable()
export class AuditedInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const operation = this.reflector.get<AuditedOperation>(AUDITED, context.getHandler());
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const record = (outcome: 'success' | 'failure', answer: unknown, error?: unknown) =>
      this.audit.record({
        type: operation.type,
        outcome,
        actor: actorOf(request),
        target: operation.target(request, answer) ?? null,
        ...auditOrigin(request),
        ...(error !== undefined && { detail: { error: (error as Error).name ?? 'Error' } }),
      });
    // The event is stored before the answer leaves (the port never throws): a caller that got its answer
    // finds the event.
    return next.handle().pipe(
      concatMap((answer) => from(record('success', answer).then(() => answer))),
      catchError((error: unknown) =>
        from(record('failure', undefined, error)).pipe(concatMap(() => throwError(() => error))),
      ),
    );
  }
}
