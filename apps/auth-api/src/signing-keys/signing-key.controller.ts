import { ReadOnlyRegionGuard } from '@cxauth/persistence';
import { Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Envelope, okData } from '@cxauth/domain';
import { SigningKeyEntity } from '@cxauth/persistence';
import { OpsBasicAuthGuard, ApiOpsOperation, answerField, Audited } from '@cxauth/platform';
import { KeyRing } from './key-ring.service';
import { ApiTags } from '@nestjs/swagger';

/** `/auth/v3/ops/signing-keys`: list the JWT signing keys (public data only) and rotate them. */
@ApiTags('Ops signing keys')
@Controller('ops/signing-keys')
@UseGuards(OpsBasicAuthGuard, ReadOnlyRegionGuard)
export class SigningKeyController {
  constructor(
    private readonly keys: KeyRing,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Get()
  @ApiOpsOperation('List JWT signing keys (public data only)')
  async list(): Promise<Envelope> {
    const rows = await this.dataSource.getRepository(SigningKeyEntity).find({ order: { createdAt: 'DESC' } });
    const now = Date.now();
    const signer = this.keys.signingKey(now)?.kid;
    return okData(
      rows.map((row) => ({
        kid: row.kid,
        algorithm: row.algorithm,
        createdAt: row.createdAt.getTime(),
        retiredAt: row.retiredAt ? row.retiredAt.getTime() : null,
        status: keyStatus(row, row.kid === signer, now),
      })),
    );
  }

  /** A new key signs from now on; the previous ones keep verifying for SIGNING_KEY_RETENTION_SECONDS. */
  @Post('rotate')
  @ApiOpsOperation('Rotate: a new key signs; previous keys keep verifying for SIGNING_KEY_RETENTION_SECONDS')
  @HttpCode(200)
  @Audited('signing_key_rotated', answerField('kid'))
  async rotate(): Promise<Envelope> {
    return okData(await this.keys.rotate());
  }
}

/** `next` (published, signs from `createdAt`), `active` (signs now), `verify-only` or `expired`. */
function keyStatus(row: SigningKeyEntity, signs: boolean, now: number): string {
  if (row.createdAt.getTime() > now) return 'next';
  if (signs) return 'active';
  return row.retiredAt && row.retiredAt.getTime() <= now ? 'expired' : 'verify-only';
}
