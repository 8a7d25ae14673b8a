import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateEnvironmentRegistry1795440826841 implements MigrationInterface {
  name = 'CreateEnvironmentRegistry1795440826841';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "environment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "username" character varying(255) NOT NULL, "password_encrypted" text NOT NULL, "connection_protocol" character varying(64), "remote_timeout" integer, "local_timeout" integer, "app_name" character varying(255) NOT NULL, "trace_mode" character varying(64), "tls_enabled" boolean NOT NULL DEFAULT false, "tenant" character varying(255), "config_servers" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f0ec97d0ac5e0e2f50f7475699f" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "contact_center" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "environment_id" uuid NOT NULL, "auth" character varying(32) NOT NULL DEFAULT \'configServer\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_fe1785c507b470145cb9bf0759c" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_contact_center_environment_id" ON "contact_center"  ("environment_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "contact_center_domain" ("domain" character varying(255) NOT NULL, "contact_center_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e36ded64c9c07281602e8c4e993" PRIMARY KEY ("domain"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_contact_center_domain_contact_center_id" ON "contact_center_domain"  ("contact_center_id") ',
    );
    await queryRunner.query(
      'CREATE TABLE "contact_center_setting" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "contact_center_id" uuid NOT NULL, "name" character varying(255) NOT NULL, "location" character varying(255) NOT NULL DEFAULT \'/\', "shared" boolean NOT NULL DEFAULT false, "value" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_contact_center_setting_name_location" UNIQUE ("contact_center_id", "name", "location"), CONSTRAINT "PK_f0d28690327bf36d0d45fb12c90" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "cors_origin" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "contact_center_id" uuid NOT NULL, "origin" character varying(2048) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_cors_origin_contact_center_origin" UNIQUE ("contact_center_id", "origin"), CONSTRAINT "PK_22c8cd26ba2cc7a6b7ec6b399fe" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'ALTER TABLE "contact_center" ADD CONSTRAINT "FK_b1e4eb3ce422180835013cc5ea6" FOREIGN KEY ("environment_id") REFERENCES "environment"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "contact_center_domain" ADD CONSTRAINT "FK_348fc2ff9e8ddf4ddf4351cc3c8" FOREIGN KEY ("contact_center_id") REFERENCES "contact_center"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "contact_center_setting" ADD CONSTRAINT "FK_6ba66625e147517a3915f7b2c28" FOREIGN KEY ("contact_center_id") REFERENCES "contact_center"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
    await queryRunner.query(
      'ALTER TABLE "cors_origin" ADD CONSTRAINT "FK_c84ea8289068ad177fbb9ab094b" FOREIGN KEY ("contact_center_id") REFERENCES "contact_center"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "cors_origin" DROP CONSTRAINT "FK_c84ea8289068ad177fbb9ab094b"');
    await queryRunner.query('ALTER TABLE "contact_center_setting" DROP CONSTRAINT "FK_6ba66625e147517a3915f7b2c28"');
    await queryRunner.query('ALTER TABLE "contact_center_domain" DROP CONSTRAINT "FK_348fc2ff9e8ddf4ddf4351cc3c8"');
    await queryRunner.query('ALTER TABLE "contact_center" DROP CONSTRAINT "FK_b1e4eb3ce422180835013cc5ea6"');
    await queryRunner.query('DROP TABLE "cors_origin"');
    await queryRunner.query('DROP TABLE "contact_center_setting"');
    await queryRunner.query('DROP INDEX "public"."IDX_contact_center_domain_contact_center_id"');
    await queryRunner.query('DROP TABLE "contact_center_domain"');
    await queryRunner.query('DROP INDEX "public"."IDX_contact_center_environment_id"');
    await queryRunner.query('DROP TABLE "contact_center"');
    await queryRunner.query('DROP TABLE "environment"');
  }
}
