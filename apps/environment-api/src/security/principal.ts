import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** Who is calling: the ops user (HTTP Basic) or the subject of a bearer token. */
export interface EnvironmentPrincipal {
  kind: 'ops' | 'bearer';
  username: string;
  authorities: string[];
}

export type RequestWithPrincipal = FastifyRequest & { principal?: EnvironmentPrincipal };

/** Routes only the ops credentials (HTTP Basic) may call: the data-center map of the deployment. */
export const OPS_BASIC_ONLY = 'cxauth:ops-basic-only';
export const OpsBasicOnly = () => SetMetadata(OPS_BASIC_ONLY, true);

export const Principal = createParamDecorator(
  (_: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<RequestWithPrincipal>().principal,
);
