import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who created a local user: `sso` for a just-in-time user of single sign-on (its authorities, names and
 * e-mail follow the identity provider at each SSO sign-in), null for a user created by the operator.
 * Users existing before this migration are null (just-in-time users among them are not told apart).
 */
export class AddLocalUserProvisionedBy1796600000000 implements MigrationInterface {
  name = 'AddLocalUserProvisionedBy1796600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "local_user" ADD "provisioned_by" character varying(8)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "local_user" DROP COLUMN "provisioned_by"');
  }
}
