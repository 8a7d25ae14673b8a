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
import { type Observable, tap } from 'rxjs';
import { AUDIT_LOG, type AuditEventType, type AuditLog, auditOrigin } from '@cxauth/domain';
import { parseBasicAuthorization } from '@cxauth/platform';

const AUDITED = Symbol('AUDITED');

/** What an ops operation acted on: from the route (`:clientId`, `:id`) or the answer's `data`. */
type TargetOf = (request: FastifyRequest, answer: unknown) => string | null | undefined;

interface AuditedOperation {
  type: AuditEventType;
  target: TargetOf;
}

/** Records an ops operation (actor: the Basic user) in the audit trail, refused or done. */
export function Audited(type: AuditEventType, target: TargetOf) {
  return applyDecorators(SetMetadata(AUDITED, { type, target }), UseInterceptors(AuditedInterceptor));
}

export const routeParam =
  (name: string): TargetOf =>
  (request) =>
    (request.params as Record<string, string> | undefined)?.[name];

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
      void this.audit.record({
        type: operation.type,
        outcome,
        actor: parseBasicAuthorization(request.headers.authorization)?.username ?? null,
        target: operation.target(request, answer) ?? null,
        ...auditOrigin(request),
        ...(error !== undefined && { detail: { error: (error as Error).name ?? 'Error' } }),
      });
    return next
      .handle()
      .pipe(
        tap({ next: (answer) => record('success', answer), error: (error) => record('failure', undefined, error) }),
      );
  }
}
