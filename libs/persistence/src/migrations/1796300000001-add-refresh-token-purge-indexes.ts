import { MigrationInterface, QueryRunner } from 'typeorm';

/** Indexes the housekeeping purge selects by (expired and long-revoked refresh tokens). */
export class AddRefreshTokenPurgeIndexes1796300000001 implements MigrationInterface {
  name = 'AddRefreshTokenPurgeIndexes1796300000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX "IDX_e888ad854be5ebd601c775455e" ON "refresh_token" ("expires_at")');
    await queryRunner.query('CREATE INDEX "IDX_323ee540aea2c6bef96b90a4ff" ON "refresh_token" ("revoked_at")');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_323ee540aea2c6bef96b90a4ff"');
    await queryRunner.query('DROP INDEX "public"."IDX_e888ad854be5ebd601c775455e"');
  }
}
