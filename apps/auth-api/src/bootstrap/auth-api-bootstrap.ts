import { type MigrateBootstrap } from '@cxauth/persistence';
import { Argon2Gate } from '../crypto/argon2-gate';
import { SecretBox } from '@cxauth/platform';
import { bootstrapConfigSchema } from './bootstrap.config';
import { ensureBootstrapClient } from './bootstrap-client';
import { importKeystoreSigningKey } from './keystore-signing-key';

/**
 * auth-api's step after its migrations, in the Helm chart's pre-install/pre-upgrade Job under the
 * migrations lock: the chart's client and the keystore's signing key. New pods load both at start;
 * running ones reload the signing keys when they meet the new kid.
 */
export const authApiBootstrap: MigrateBootstrap<typeof bootstrapConfigSchema> = {
  schema: bootstrapConfigSchema,
  run: (config) => async (dataSource) => {
    const report: Record<string, unknown> = {};
    if (config.BOOTSTRAP_CLIENT_ID && config.BOOTSTRAP_CLIENT_SECRET) {
      report.client = {
        clientId: config.BOOTSTRAP_CLIENT_ID,
        outcome: await ensureBootstrapClient(
          dataSource,
          {
            clientId: config.BOOTSTRAP_CLIENT_ID,
            secret: config.BOOTSTRAP_CLIENT_SECRET,
            redirectUris: config.BOOTSTRAP_CLIENT_REDIRECT_URIS ?? [],
          },
          new Argon2Gate({ PASSWORD_HASH_CONCURRENCY: 1 }),
        ),
      };
    }
    if (config.SIGNING_KEYSTORE_FILE && config.SIGNING_KEYSTORE_PASSWORD !== undefined && config.ENCRYPTION_KEY) {
      report.signingKey = await importKeystoreSigningKey(
        dataSource,
        {
          file: config.SIGNING_KEYSTORE_FILE,
          password: config.SIGNING_KEYSTORE_PASSWORD,
          alias: config.SIGNING_KEY_ALIAS,
          keyPassword: config.SIGNING_KEY_PASSWORD,
        },
        new SecretBox({ ENCRYPTION_KEY: config.ENCRYPTION_KEY }),
        config.SIGNING_KEY_RETENTION_SECONDS,
      );
    }
    return report;
  },
};
