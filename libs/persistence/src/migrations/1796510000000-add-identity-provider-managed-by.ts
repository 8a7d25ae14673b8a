import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who manages an identity provider: `api` (PUT /contact-centers/{id}/identity-provider) or `file`
 * (environment-api's IDENTITY_PROVIDERS_FILE, the charts' values). Existing rows are the API's.
 */
export class AddIdentityProviderManagedBy1796510000000 implements MigrationInterface {
  name = 'AddIdentityProviderManagedBy1796510000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "identity_provider" ADD "managed_by" character varying(8) NOT NULL DEFAULT 'api'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "identity_provider" DROP COLUMN "managed_by"');
  }
}
