import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddIdentityProvider1796198446250 implements MigrationInterface {
  name = 'AddIdentityProvider1796198446250';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "identity_provider" ("contact_center_id" uuid NOT NULL, "type" character varying(8) NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "settings" jsonb NOT NULL, "secret_encrypted" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_91f8a4029528e843ac141c5b6db" PRIMARY KEY ("contact_center_id"))',
    );
    await queryRunner.query(
      'ALTER TABLE "identity_provider" ADD CONSTRAINT "FK_91f8a4029528e843ac141c5b6db" FOREIGN KEY ("contact_center_id") REFERENCES "contact_center"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "identity_provider" DROP CONSTRAINT "FK_91f8a4029528e843ac141c5b6db"');
    await queryRunner.query('DROP TABLE "identity_provider"');
  }
}
