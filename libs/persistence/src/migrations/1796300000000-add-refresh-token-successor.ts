import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddRefreshTokenSuccessor1796300000000 implements MigrationInterface {
  name = 'AddRefreshTokenSuccessor1796300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "refresh_token" ADD "successor" text');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "refresh_token" DROP COLUMN "successor"');
  }
}
