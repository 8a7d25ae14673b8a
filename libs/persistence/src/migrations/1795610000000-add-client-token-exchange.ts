import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddClientTokenExchange1795610000000 implements MigrationInterface {
  name = 'AddClientTokenExchange1795610000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "oauth_client" ADD "token_exchange" jsonb');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "oauth_client" DROP COLUMN "token_exchange"');
  }
}
