import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAuditEvent1796199667064 implements MigrationInterface {
  name = 'CreateAuditEvent1796199667064';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "audit_event" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "type" character varying(64) NOT NULL, "outcome" character varying(16) NOT NULL, "actor" character varying(512), "target" character varying(512), "client_id" character varying(255), "tenant" character varying(255), "source_ip" character varying(64), "request_id" character varying(128), "detail" jsonb, CONSTRAINT "PK_481efbe8b0a403efe3f47a6528f" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_audit_event_type_occurred_at" ON "audit_event"  ("type", "occurred_at") ',
    );
    await queryRunner.query('CREATE INDEX "IDX_audit_event_occurred_at" ON "audit_event"  ("occurred_at", "id") ');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_audit_event_occurred_at"');
    await queryRunner.query('DROP INDEX "public"."IDX_audit_event_type_occurred_at"');
    await queryRunner.query('DROP TABLE "audit_event"');
  }
}
