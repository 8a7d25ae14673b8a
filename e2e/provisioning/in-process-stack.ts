import { authApiConfigSchema, authApiService } from '@cxauth/auth-api';
import { authUiConfigSchema, authUiService } from '@cxauth/auth-ui';
import { environmentApiConfigSchema, environmentApiService } from '@cxauth/environment-api';
import { loadSimData, startConfigServerSim } from '@cxauth/config-server-sim';
import { join } from 'node:path';
import { ingressRoutes, RoutingProxy } from '@cxauth/local-stack';
import { createTestApp, createTestStorage, TestApp, TestDatabase } from '@cxauth/testing';
import type { StackUnderTest } from './provisioning-checks';

export interface InProcessStack extends StackUnderTest {
  database: TestDatabase;
  authApi: TestApp;
  environmentApi: TestApp;
  authUi: TestApp;
  stop(): Promise<void>;
}

/**
 * auth-api, environment-api (LOCATION /USW1) and auth-ui on real PostgreSQL/Redis behind the routing
 * proxy (one base URL, as behind the ingress).
 */
export interface InProcessStackOptions {
  /** auth-api settings added to the test defaults. */
  authApiEnv?: Record<string, string>;
  /** auth-ui settings added to the test defaults. */
  authUiEnv?: Record<string, string>;
  /** Reach every environment's Configuration Server through one central gateway: the simulator. */
  configServerGateway?: boolean;
}

export async function startInProcessStack({
  authApiEnv = {},
  authUiEnv = {},
  configServerGateway = false,
}: InProcessStackOptions = {}): Promise<InProcessStack> {
  const { database, env } = await createTestStorage();
  const gateway = configServerGateway
    ? await startConfigServerSim({
        data: loadSimData(join(__dirname, '../../tools/config-server-sim/sample-persons.json')),
      })
    : undefined;
  const apps: TestApp[] = [];
  // The public port first (the services' URLs depend on it); routes once they run.
  const proxy = await RoutingProxy.listen('127.0.0.1', 0);
  const baseUrl = proxy.url;
  try {
    const authApi = await createTestApp(authApiConfigSchema, authApiService, {
      ...env,
      PUBLIC_BASE_URL: baseUrl,
      ...(gateway ? { CONFIG_SERVER_GATEWAY_URL: gateway.url } : {}),
      ...authApiEnv,
    });
    apps.push(authApi);
    const environmentApi = await createTestApp(environmentApiConfigSchema, environmentApiService, {
      ...env,
      AUTH_API_URL: authApi.service.url,
      LOCATION: '/USW1',
    });
    apps.push(environmentApi);
    const authUi = await createTestApp(authUiConfigSchema, authUiService, {
      AUTH_API_URL: authApi.service.url,
      PUBLIC_BASE_URL: baseUrl,
      ...authUiEnv,
    });
    apps.push(authUi);
    proxy.route(
      ingressRoutes({
        authApi: authApi.service.url,
        environmentApi: environmentApi.service.url,
        authUi: authUi.service.url,
      }),
    );
    return {
      baseUrl,
      opsUser: 'ops',
      opsPassword: 'ops',
      database,
      authApi,
      environmentApi,
      authUi,
      stop: async () => {
        await proxy.close();
        await Promise.allSettled(apps.map((app) => app.close()));
        await gateway?.close();
        await database.drop();
      },
    };
  } catch (error) {
    await proxy.close();
    await Promise.allSettled(apps.map((app) => app.close()));
    await gateway?.close();
    await database.drop();
    throw error;
  }
}
