import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { authApiConfigSchema, AUTH_API_DIRECT_ROUTES, AUTH_API_PREFIX, AuthApiModule } from '@cxauth/auth-api';
import { authUiConfigSchema, AUTH_UI_PREFIX, AUTH_UI_PREFIX_OPTIONS, AuthUiModule } from '@cxauth/auth-ui';
import { environmentApiConfigSchema, ENVIRONMENT_API_PREFIX, EnvironmentApiModule } from '@cxauth/environment-api';
import {
  addDirectRoutesToDocument,
  createLogger,
  type DirectControllers,
  loadConfig,
  serviceRootModule,
  ServiceMetrics,
} from '@cxauth/platform';

/** Run from the workspace root (npm scripts and jest both do). */
export const OPENAPI_FOLDER = join(process.cwd(), 'docs/openapi');

export function workspaceVersion(): string {
  return (JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** A syntactically valid environment: documents are built in preview mode, nothing connects. */
const PLACEHOLDER_ENV = {
  DATABASE_URL: 'postgres://openapi@127.0.0.1:1/openapi',
  REDIS_URL: 'redis://127.0.0.1:1',
  ADMIN_USERNAME: 'ops',
  ADMIN_PASSWORD: 'unused-placeholder',
  ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'),
  PUBLIC_BASE_URL: 'https://gauth.example.com',
  AUTH_API_URL: 'http://auth-api',
};

const SERVICES = {
  'auth-api': {
    title: 'cxauth auth-api',
    description: 'OAuth 2.0 / OpenID Connect token service, user info, sign-in/sign-out, ops client and user APIs.',
    prefix: AUTH_API_PREFIX,
    module: () => AuthApiModule.forRoot(loadConfig('openapi', authApiConfigSchema, PLACEHOLDER_ENV)),
    directRoutes: AUTH_API_DIRECT_ROUTES,
  },
  'auth-ui': {
    title: 'cxauth auth-ui',
    description: 'Sign-in, change-password, signed-out and error pages.',
    prefix: AUTH_UI_PREFIX,
    prefixOptions: AUTH_UI_PREFIX_OPTIONS,
    module: () => AuthUiModule.forRoot(loadConfig('openapi', authUiConfigSchema, PLACEHOLDER_ENV)),
  },
  'environment-api': {
    title: 'cxauth environment-api',
    description: 'Environments, contact centers, settings, CORS origins and data centers.',
    prefix: ENVIRONMENT_API_PREFIX,
    module: () => EnvironmentApiModule.forRoot(loadConfig('openapi', environmentApiConfigSchema, PLACEHOLDER_ENV)),
  },
} as const;

export type ServiceName = keyof typeof SERVICES;
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];

/** The OpenAPI 3 document of a service, generated from its controllers (no I/O, preview mode). */
export async function openApiDocument(name: ServiceName, version: string): Promise<OpenAPIObject> {
  const service = SERVICES[name];
  const logger = createLogger(name, 'silent');
  const root = serviceRootModule(service.module(), new ServiceMetrics(name), logger);
  const app = await NestFactory.create<NestFastifyApplication>(root, new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  app.setGlobalPrefix(service.prefix, 'prefixOptions' in service ? service.prefixOptions : undefined);
  const config = new DocumentBuilder()
    .setTitle(service.title)
    .setDescription(service.description)
    .setVersion(version)
    .addBasicAuth({ type: 'http', scheme: 'basic', description: 'ops credentials' }, 'ops')
    .addBearerAuth({ type: 'http', scheme: 'bearer' }, 'bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const directRoutes: DirectControllers = 'directRoutes' in service ? service.directRoutes : [];
  addDirectRoutesToDocument(document, service.prefix, directRoutes);
  await app.close();
  return document;
}
