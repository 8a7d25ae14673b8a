import { DataSource } from 'typeorm';
import { databaseConfigSchema } from '@cxauth/platform';
import { PostgresTlsServer } from '@cxauth/testing';
import { dataSourceOptions } from '@cxauth/persistence';

// A private, real PostgreSQL cluster that only accepts TLS (pg_hba `hostssl`), certificate for localhost.
describe('PostgreSQL over TLS (DATABASE_SSL_MODE)', () => {
  const server = new PostgresTlsServer();

  beforeAll(async () => {
    await server.start();
  }, 60_000);
  afterAll(() => server.stop());

  async function connect(env: Record<string, string>, host = 'localhost'): Promise<boolean> {
    const config = databaseConfigSchema.parse({
      DATABASE_URL: `postgres://postgres@${host}:${server.port}/postgres`,
      DATABASE_CONNECT_TIMEOUT_MS: '3000',
      ...env,
    });
    const dataSource = new DataSource({ ...dataSourceOptions(config, 1), entities: [], migrations: [] });
    await dataSource.initialize();
    try {
      const [row] = await dataSource.query('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      return row.ssl as boolean;
    } finally {
      await dataSource.destroy();
    }
  }

  it('verify-full with the CA file connects over TLS', async () => {
    expect(await connect({ DATABASE_SSL_MODE: 'verify-full', DATABASE_SSL_CA_FILE: server.caFile })).toBe(true);
  });

  it('verify-full refuses a server whose certificate the CA did not sign', async () => {
    await expect(connect({ DATABASE_SSL_MODE: 'verify-full' })).rejects.toThrow(/certificate/i);
  });

  it('require encrypts without verifying the certificate', async () => {
    expect(await connect({ DATABASE_SSL_MODE: 'require' })).toBe(true);
  });

  it('disable is refused by a TLS-only server', async () => {
    await expect(connect({ DATABASE_SSL_MODE: 'disable' })).rejects.toThrow(/no encryption|pg_hba/i);
  });
});
