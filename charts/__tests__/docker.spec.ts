// docker/ by reading: the Dockerfile's shape for a build from public bases (ARTIFACTS=source), and
// compose.yaml's wiring against the apps' config schemas. e2e/images builds the same Dockerfile
// (ARTIFACTS=prebuilt, local bases) and runs the images.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { z } from 'zod';
import { databaseConfigSchema, requiredVariables } from '@cxauth/platform';
import { authApiConfigSchema } from '@cxauth/auth-api';
import { authUiConfigSchema } from '@cxauth/auth-ui';
import { environmentApiConfigSchema } from '@cxauth/environment-api';
import { ROOT, SERVICE_CHARTS, ServiceChart } from '@cxauth/testing';

const dockerfile = readFileSync(join(ROOT, 'docker', 'Dockerfile'), 'utf8');
const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; target: string };
  command?: string[];
  environment?: Record<string, string>;
  user?: string;
  read_only?: boolean;
  cap_drop?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
}
const compose = parse(readFileSync(join(ROOT, 'docker', 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};

const CONFIG_SCHEMAS: Record<ServiceChart, z.ZodObject> = {
  'auth-api': authApiConfigSchema,
  'auth-ui': authUiConfigSchema,
  'environment-api': environmentApiConfigSchema,
};

/** `FROM image AS name` stages, in order. */
const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)].map((match) => ({
  image: match[1]!,
  name: match[2],
}));

/** The instructions of one stage. */
function stage(name: string): string {
  const start = dockerfile.search(new RegExp(`^FROM\\s+\\S+\\s+AS\\s+${name}\\s*$`, 'im'));
  expect(start).toBeGreaterThanOrEqual(0);
  const rest = dockerfile.slice(start + 1);
  const next = rest.search(/^FROM\s/im);
  return next < 0 ? dockerfile.slice(start) : dockerfile.slice(start, start + 1 + next);
}

describe('docker/Dockerfile', () => {
  it('caches the dependency layer on package.json and the lockfile only', () => {
    const deps = stage('deps');
    expect(deps).toMatch(/^COPY package\.json package-lock\.json \.\/$/m);
    expect(deps.indexOf('COPY package.json')).toBeLessThan(
      deps.indexOf('RUN --mount=type=cache,target=/root/.npm npm install'),
    );
    expect(deps).not.toMatch(/^COPY (apps|libs|tools|\.)\b/m);
  });

  it('builds with the workspace build script and ships production dependencies only', () => {
    expect(stage('build')).toMatch(/^RUN node tools\/build\.mjs$/m);
    expect(stage('prod-deps')).toMatch(/npm prune --omit=dev/);
    expect(existsSync(join(ROOT, 'tools', 'build.mjs'))).toBe(true);
  });

  it('takes the same artifacts from the build stages or, with ARTIFACTS=prebuilt, from the context', () => {
    expect(dockerfile).toMatch(/^ARG ARTIFACTS=source$/m);
    expect(dockerfile).toMatch(/^FROM artifacts-\$\{ARTIFACTS\} AS artifacts$/m);
    const destinations = (name: string) =>
      [...stage(name).matchAll(/^COPY .* (\/app\/\S+)$/gm)].map((match) => match[1]).sort();
    expect(destinations('artifacts-prebuilt')).toEqual(destinations('artifacts-source'));
    expect(destinations('artifacts-source')).toEqual([
      '/app/dist/apps',
      '/app/dist/libs',
      '/app/node_modules',
      '/app/package.json',
    ]);
  });

  it('runs as a numeric non-root user on a shell-less runtime with OCI labels', () => {
    const runtime = stage('runtime');
    expect(runtime).toMatch(/^USER 65532:65532$/m);
    expect(dockerfile).toContain('ARG RUNTIME_IMAGE=gcr.io/distroless/nodejs20-debian12:nonroot');
    for (const label of ['version', 'revision', 'source', 'licenses']) {
      expect(runtime).toContain(`org.opencontainers.image.${label}=`);
    }
    expect(runtime).toMatch(/^ENTRYPOINT \["\/nodejs\/bin\/node"/m);
    expect(dockerfile).not.toMatch(/:latest\b/);
    // the chart's numeric user is the image's
    expect(readFileSync(join(ROOT, 'charts', 'auth-api', 'values.yaml'), 'utf8')).toContain('runAsUser: 65532');
  });

  it.each(SERVICE_CHARTS)('has a %s target that runs that app and nothing else', (app) => {
    expect(stages.find((candidate) => candidate.name === app)?.image).toBe('runtime');
    const target = stage(app);
    expect(target).toContain(`COPY --from=artifacts /app/dist/apps/${app} ./dist/apps/${app}`);
    expect(target).toContain(`CMD ["dist/apps/${app}/src/main.js"]`);
    expect(target).toContain(`org.opencontainers.image.title="cxauth ${app}"`);
    expect(existsSync(join(ROOT, 'apps', app, 'src', 'main.ts'))).toBe(true);
  });

  it('.dockerignore keeps the build context to what the Dockerfile copies', () => {
    for (const entry of ['**/node_modules', 'dist', '.git', '.helm', '.data', 'charts', '**/__tests__']) {
      expect(dockerignore).toContain(entry);
    }
    for (const copied of dockerfile.matchAll(/^COPY (?!--from)(\S+)/gm)) {
      expect(dockerignore).not.toContain(copied[1]);
    }
  });
});

describe('docker/compose.yaml', () => {
  it.each(SERVICE_CHARTS)('%s is built from its target and gets every required variable', (app) => {
    const service = compose.services[app]!;
    expect(service.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile', target: app });
    const env = service.environment ?? {};
    expect(requiredVariables(CONFIG_SCHEMAS[app]).filter((name) => !(name in env))).toEqual([]);
    expect(service).toMatchObject({ user: '65532:65532', read_only: true, cap_drop: ['ALL'] });
    // no secret has a default: each comes from the operator's shell, or compose refuses to start
    for (const name of ['ADMIN_PASSWORD', 'ENCRYPTION_KEY', 'DATABASE_PASSWORD', 'REDIS_PASSWORD']) {
      if (name in env) expect(env[name]).toMatch(/^\$\{CXAUTH_[A-Z_]+:\?/);
    }
  });

  it('runs Redis as a durable token store: AOF every second, no eviction, a volume', () => {
    const redis = compose.services.redis as unknown as { command: string[]; volumes: string[] };
    expect(redis.command.join(' ')).toContain('--appendonly yes --appendfsync everysec --maxmemory-policy noeviction');
    expect(redis.volumes).toEqual(['redis-data:/data']);
  });

  it('migrates before the API services start, with only the DATABASE_* variables', () => {
    const migrate = compose.services.migrate!;
    expect(migrate.command).toEqual(['dist/apps/auth-api/src/migrate.js']);
    expect(existsSync(join(ROOT, 'apps', 'auth-api', 'src', 'migrate.ts'))).toBe(true);
    const required = requiredVariables(databaseConfigSchema);
    expect(Object.keys(migrate.environment ?? {}).filter((name) => !name.startsWith('DATABASE_'))).toEqual([]);
    expect(required.filter((name) => !(name in (migrate.environment ?? {})))).toEqual([]);
    for (const app of ['auth-api', 'environment-api']) {
      expect(compose.services[app]!.depends_on).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
      });
    }
  });

  it('routes /auth, /ui/auth and /environment on one port like the chart Ingresses', () => {
    const nginx = readFileSync(join(ROOT, 'docker', 'nginx.conf'), 'utf8');
    expect(nginx).toContain('location /auth/ { proxy_pass http://auth-api:8080; }');
    expect(nginx).toContain('location /ui/auth/ { proxy_pass http://auth-ui:8080; }');
    expect(nginx).toContain('location /environment/ { proxy_pass http://environment-api:8080; }');
  });
});
