import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddContactCenterDirectory1795500000000 implements MigrationInterface {
  name = 'AddContactCenterDirectory1795500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "contact_center" ADD "directory" jsonb');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "contact_center" DROP COLUMN "directory"');
  }
}
