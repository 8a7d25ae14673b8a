import { applyDecorators, CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiConsumes } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DomainException } from '@cxauth/domain';

const CONSUMES = 'cxauth:consumes';
const JSON_ONLY = ['application/json'];

/**
 * The media types an operation takes when it is not JSON (e.g. the sign-in form); the OpenAPI
 * document shows the same declaration.
 */
export function Consumes(...mediaTypes: string[]) {
  return applyDecorators(SetMetadata(CONSUMES, mediaTypes), ApiConsumes(...mediaTypes));
}

/**
 * A body in a media type the operation does not take is answered 415 (code 8). Without it, curl's
 * default (`-d` without `-H`) sends JSON as a form and the operation reports "unknown field(s)".
 * Requests without a body pass, whatever their Content-Type.
 */
@Injectable()
export class ContentTypeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!hasBody(request)) return true;
    const accepted =
      this.reflector.getAllAndOverride<string[] | undefined>(CONSUMES, [context.getHandler(), context.getClass()]) ??
      JSON_ONLY;
    const [declared = ''] = (request.headers['content-type'] ?? '').split(';');
    const mediaType = declared.trim().toLowerCase();
    if (accepted.includes(mediaType)) return true;
    throw new DomainException(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Type ${mediaType || '(none)'} is not accepted here; send ${accepted.join(' or ')}`,
    );
  }
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
