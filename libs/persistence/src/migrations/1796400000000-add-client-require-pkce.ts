import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-client PKCE requirement. Existing clients get `false` (the column default), so an upgrade breaks
 * no client that does not send PKCE today; new clients get PKCE_REQUIRED_FOR_NEW_CLIENTS from auth-api.
 */
export class AddClientRequirePkce1796400000000 implements MigrationInterface {
  name = 'AddClientRequirePkce1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "oauth_client" ADD "require_pkce" boolean NOT NULL DEFAULT false');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "oauth_client" DROP COLUMN "require_pkce"');
  }
}
