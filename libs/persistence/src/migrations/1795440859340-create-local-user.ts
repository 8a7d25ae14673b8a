import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateLocalUser1795440859340 implements MigrationInterface {
  name = 'CreateLocalUser1795440859340';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "local_user" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "contact_center_id" uuid NOT NULL, "username" character varying(255) NOT NULL, "username_lower" character varying(255) NOT NULL, "password_hash" character varying(512) NOT NULL, "email" character varying(320), "first_name" character varying(255), "last_name" character varying(255), "authorities" jsonb NOT NULL, "properties" jsonb NOT NULL, "enabled" boolean NOT NULL DEFAULT true, "password_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_a3e985b84a3998ad4503d3f0d4b" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE UNIQUE INDEX "UQ_local_user_contact_center_username" ON "local_user"  ("contact_center_id", "username_lower") ',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."UQ_local_user_contact_center_username"');
    await queryRunner.query('DROP TABLE "local_user"');
  }
}
