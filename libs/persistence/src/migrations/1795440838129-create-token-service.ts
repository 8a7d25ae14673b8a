import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateTokenService1795440838129 implements MigrationInterface {
  name = 'CreateTokenService1795440838129';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "oauth_client" ("client_id" character varying(255) NOT NULL, "name" character varying(255) NOT NULL, "description" text, "client_type" character varying(16) NOT NULL, "internal_client" boolean NOT NULL DEFAULT false, "secret_hash" character varying(255), "authorities" text array NOT NULL DEFAULT \'{}\', "scope" text array NOT NULL DEFAULT \'{}\', "authorized_grant_types" text array NOT NULL DEFAULT \'{}\', "redirect_uris" text array NOT NULL DEFAULT \'{}\', "access_token_validity" integer NOT NULL, "refresh_token_validity" integer NOT NULL, "contact_center_ids" text array NOT NULL DEFAULT \'{}\', "token_format" character varying(16) NOT NULL DEFAULT \'opaque\', "jwks" jsonb, "jwks_uri" character varying(2048), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_120e591449cf7f49569ee6c95b3" PRIMARY KEY ("client_id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "refresh_token" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "token_hash" character varying(64) NOT NULL, "family_id" uuid NOT NULL, "client_id" character varying(255) NOT NULL, "subject" character varying(512) NOT NULL, "scope" text NOT NULL, "grant" jsonb NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "rotated_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b575dd3c21fb0831013c909e7fe" PRIMARY KEY ("id"))',
    );
    await queryRunner.query('CREATE UNIQUE INDEX "IDX_f0812282fad2e352cdaf83ef0a" ON "refresh_token"  ("token_hash") ');
    await queryRunner.query('CREATE INDEX "IDX_eb31f2a7917404a46e17f539f1" ON "refresh_token"  ("family_id") ');
    await queryRunner.query('CREATE INDEX "IDX_50ca12e70a3e6c67d9f7444f1e" ON "refresh_token"  ("client_id") ');
    await queryRunner.query('CREATE INDEX "IDX_a2a221adfb08a887e28fa96a97" ON "refresh_token"  ("subject") ');
    await queryRunner.query(
      'CREATE TABLE "signing_key" ("kid" character varying(64) NOT NULL, "algorithm" character varying(16) NOT NULL, "public_jwk" jsonb NOT NULL, "encrypted_private_jwk" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "retired_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_00d7e305393ab903d6eb06c11f9" PRIMARY KEY ("kid"))',
    );
    await queryRunner.query('CREATE INDEX "IDX_8c42640f9b29a464012afa5974" ON "signing_key"  ("created_at") ');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_8c42640f9b29a464012afa5974"');
    await queryRunner.query('DROP TABLE "signing_key"');
    await queryRunner.query('DROP INDEX "public"."IDX_a2a221adfb08a887e28fa96a97"');
    await queryRunner.query('DROP INDEX "public"."IDX_50ca12e70a3e6c67d9f7444f1e"');
    await queryRunner.query('DROP INDEX "public"."IDX_eb31f2a7917404a46e17f539f1"');
    await queryRunner.query('DROP INDEX "public"."IDX_f0812282fad2e352cdaf83ef0a"');
    await queryRunner.query('DROP TABLE "refresh_token"');
    await queryRunner.query('DROP TABLE "oauth_client"');
  }
}
