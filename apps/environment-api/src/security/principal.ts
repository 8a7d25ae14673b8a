import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Who is calling: the ops user (HTTP Basic) or the subject of a bearer token. */
export interface EnvironmentPrincipal {
  kind: 'ops' | 'bearer';
  username: string;
  authorities: string[];
  /** A user token's contact center (client tokens have none). */
  contactCenterId?: string;
}

export type RequestWithPrincipal = FastifyRequest & { principal?: EnvironmentPrincipal };

/** Routes only the ops credentials (HTTP Basic) may call: the data-center map of the deployment. */
export const OPS_BASIC_ONLY = 'cxauth:ops-basic-only';
export const OpsBasicOnly = () => SetMetadata(OPS_BASIC_ONLY, true);

/**
 * Routes only the deployment's operator may call: HTTP Basic with the ops credentials, or a bearer
 * token carrying ROLE_OPS (the ops user's). A service token (ROLE_INTERNAL_CLIENT) is not enough:
 * the global CORS list opens every service to a browser origin.
 */
export const OPS_AUTHORITY = 'ROLE_OPS';
export const OPS_ONLY = 'cxauth:ops-only';
export const OpsOnly = () => SetMetadata(OPS_ONLY, true);

export const Principal = createParamDecorator(
  (_: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<RequestWithPrincipal>().principal,
);
