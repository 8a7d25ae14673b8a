import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DataSource } from 'typeorm';
import type { FastifyRequest } from 'fastify';
import { DomainException } from '@cxauth/domain';
import { APP_CONFIG, type CorsConfig } from '@cxauth/platform';

/** Writes that stay possible in a read-only region (the data-center map itself, so a region can be promoted). */
export const WRITABLE_IN_READ_ONLY_REGION = 'cxauth:writable-in-read-only-region';
export const WritableInReadOnlyRegion = () => SetMetadata(WRITABLE_IN_READ_ONLY_REGION, true);

export const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses writes (403, code 10 READ_ONLY_REGION) when the data-center record of this deployment's
 * LOCATION says `readOnly: true` and FORCE_WRITABLE is off. The message names the entry point of a
 * writable data center (`readOnly: false`). One indexed query per write; reads are never checked.
 * environment-api applies it to every route; auth-api to the ops APIs that write clients, users and
 * signing keys, and to password changes (the API and the change-password form); tokens, codes and
 * sessions keep working in a read-only region.
 */
@Injectable()
export class ReadOnlyRegionGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: Pick<CorsConfig, 'LOCATION' | 'FORCE_WRITABLE'>,
    private readonly dataSource: DataSource,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (READS.has(request.method) || this.config.FORCE_WRITABLE) return true;
    const exempt = this.reflector.getAllAndOverride<boolean>(WRITABLE_IN_READ_ONLY_REGION, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (exempt) return true;
    const location = this.config.LOCATION.toLowerCase();
    const rows: { location: string; entry_point: string; read_only: boolean }[] = await this.dataSource.query(
      `SELECT location, entry_point, read_only FROM data_center
        WHERE location = $1 OR read_only = false ORDER BY (location = $1) DESC, location LIMIT 2`,
      [location],
    );
    const own = rows.find((row) => row.location === location);
    if (!own?.read_only) return true;
    const writable = rows.find((row) => !row.read_only);
    const where = writable
      ? `send writes to ${writable.entry_point} (data center ${writable.location})`
      : 'no writable data center is registered';
    throw new DomainException('READ_ONLY_REGION', `This region (${own.location}) is read-only; ${where}`, {
      location: own.location,
      writableEntryPoint: writable?.entry_point ?? null,
      writableLocation: writable?.location ?? null,
    });
  }
}
