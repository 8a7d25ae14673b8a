import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDataCenter1795440483874 implements MigrationInterface {
  name = 'CreateDataCenter1795440483874';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "data_center" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "location" character varying(255) NOT NULL, "entry_point" character varying(2048) NOT NULL, "read_only" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_60911c19edca20a96975f5da06c" UNIQUE ("location"), CONSTRAINT "PK_fd451245b6c4fbf6c8dbe119c2f" PRIMARY KEY ("id"))',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "data_center"');
  }
}
