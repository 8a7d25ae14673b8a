import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { envelopeError, ErrorResponse } from './error-response';
import { NotFoundPageRenderer, prefersHtml } from './not-found-page';

/** Chooses the wire shape of an error for a request (the envelope, or RFC 6749 on OAuth paths). */
export type ErrorRenderer = (exception: unknown, request: FastifyRequest) => ErrorResponse & { expected: boolean };

export const renderEnvelopeError: ErrorRenderer = (exception) => envelopeError(exception);

export function sendError(
  exception: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  render: ErrorRenderer,
  logger: Logger,
  notFoundPage?: NotFoundPageRenderer,
): void {
  // A browser on a path no route serves gets a page; API clients get the envelope below.
  if (request.is404 && notFoundPage && prefersHtml(request)) {
    const page = notFoundPage(request);
    void reply
      .status(404)
      .type('text/html; charset=utf-8')
      .header('content-security-policy', page.contentSecurityPolicy)
      .header('cache-control', 'no-store')
      .header('vary', 'Accept')
      .send(page.html);
    return;
  }
  const response = render(exception, request);
  if (!response.expected) {
    logger.error({ err: exception, req: request }, 'unhandled error');
  }
  const headers = response.headers ?? {};
  void reply
    .status(response.httpStatus)
    .headers(
      // How long the service itself took to refuse (the outage promise is a 503 within 100 ms): the
      // client-side figure also holds the network and the caller's own queueing.
      response.httpStatus === 503
        ? { ...headers, 'server-timing': `app;dur=${reply.elapsedTime.toFixed(1)}` }
        : headers,
    )
    .type('application/json; charset=utf-8')
    .send(response.body);
}

/** The one place where exceptions thrown inside Nest become HTTP answers. */
@Catch()
export class ErrorResponseFilter implements ExceptionFilter {
  constructor(
    private readonly render: ErrorRenderer,
    private readonly logger: Logger,
    private readonly notFoundPage?: NotFoundPageRenderer,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendError(
      exception,
      http.getRequest<FastifyRequest>(),
      http.getResponse<FastifyReply>(),
      this.render,
      this.logger,
      this.notFoundPage,
    );
  }
}
