import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a spent refresh token's sealed answer was last handed out again (a retry in the grace window):
 * a rotation that failed to complete is not undone once its answer reached another caller.
 */
export class AddRefreshTokenReplayedAt1796520000000 implements MigrationInterface {
  name = 'AddRefreshTokenReplayedAt1796520000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "refresh_token" ADD "replayed_at" TIMESTAMP WITH TIME ZONE');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "refresh_token" DROP COLUMN "replayed_at"');
  }
}
