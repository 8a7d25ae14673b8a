import { authApiConfigSchema, authApiService } from '@cxauth/auth-api';
import { authUiConfigSchema, authUiService } from '@cxauth/auth-ui';
import { environmentApiConfigSchema, environmentApiService } from '@cxauth/environment-api';
import { ingressRoutes, RoutingProxy } from '@cxauth/local-stack';
import { createTestApp, createTestStorage, TestApp } from '@cxauth/testing';
import type { StackUnderTest } from './provisioning-checks';

export interface InProcessStack extends StackUnderTest {
  authApi: TestApp;
  environmentApi: TestApp;
  authUi: TestApp;
  stop(): Promise<void>;
}

/**
 * auth-api, environment-api (LOCATION /USW1) and auth-ui on real PostgreSQL/Redis behind the routing
 * proxy (one base URL, as behind the ingress). `authApiEnv` adds auth-api settings.
 */
export async function startInProcessStack(authApiEnv: Record<string, string> = {}): Promise<InProcessStack> {
  const { database, env } = await createTestStorage();
  const apps: TestApp[] = [];
  // The public port first (the services' URLs depend on it); routes once they run.
  const proxy = await RoutingProxy.listen('127.0.0.1', 0);
  const baseUrl = proxy.url;
  try {
    const authApi = await createTestApp(authApiConfigSchema, authApiService, {
      ...env,
      PUBLIC_BASE_URL: baseUrl,
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
      authApi,
      environmentApi,
      authUi,
      stop: async () => {
        await proxy.close();
        await Promise.allSettled(apps.map((app) => app.close()));
        await database.drop();
      },
    };
  } catch (error) {
    await proxy.close();
    await Promise.allSettled(apps.map((app) => app.close()));
    await database.drop();
    throw error;
  }
}
