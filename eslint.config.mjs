import nx from '@nx/eslint-plugin';

/**
 * The layers (docs/architecture.md). `type:` says what a project is, `scope:` which service it
 * serves; a project may import only the tags listed for both of its tags.
 */
const depConstraints = [
  {
    sourceTag: 'type:domain',
    onlyDependOnLibsWithTags: ['type:domain'],
    // Pure rules: no framework, no I/O.
    bannedExternalImports: [
      '@nestjs/*',
      'typeorm',
      'pg',
      'ioredis*',
      'fastify',
      '@fastify/*',
      'jose',
      'passport*',
      'pino',
      'prom-client',
      '@node-rs/*',
      'node:fs*',
      'node:net',
      'node:http*',
      'fs',
      'net',
      'http',
      'https',
    ],
  },
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:domain', 'type:infra'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:domain', 'type:infra', 'type:testing'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:infra', 'type:testing'] },
  {
    sourceTag: 'type:tool',
    onlyDependOnLibsWithTags: ['type:app', 'type:domain', 'type:infra', 'type:testing', 'type:tool'],
  },
  {
    sourceTag: 'type:e2e',
    onlyDependOnLibsWithTags: ['type:app', 'type:domain', 'type:infra', 'type:testing', 'type:tool'],
  },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:auth', onlyDependOnLibsWithTags: ['scope:shared', 'scope:auth'] },
  { sourceTag: 'scope:environment', onlyDependOnLibsWithTags: ['scope:shared', 'scope:environment'] },
  { sourceTag: 'scope:ui', onlyDependOnLibsWithTags: ['scope:shared', 'scope:ui'] },
  {
    sourceTag: 'scope:cross',
    onlyDependOnLibsWithTags: ['scope:shared', 'scope:auth', 'scope:environment', 'scope:ui', 'scope:cross'],
  },
];

/** Tools and cross-service tests assemble the apps through their public entry (`@cxauth/<app>`) and share the local stack's routing proxy and the gateway simulator. */
const APP_ENTRIES = [
  '@cxauth/auth-api',
  '@cxauth/auth-ui',
  '@cxauth/environment-api',
  '@cxauth/local-stack',
  '@cxauth/config-server-sim',
];

export default [
  {
    ignores: [
      '**/dist',
      '**/node_modules',
      '**/tmp',
      '**/.data',
      '**/.helm',
      'test-artifacts',
      'bench-results',
      'jest.config.js',
      'tools/build.mjs',
      'tools/ci/*.mjs',
    ],
  },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: true, allow: [], depConstraints }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // A forgotten await loses errors and ordering; a promise where a callback wants void hides them.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'tools/**/*.ts', 'e2e/**/*.ts', 'charts/**/*.ts'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['tools/**/*.ts', 'e2e/**/*.ts', 'charts/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: true, allow: APP_ENTRIES, depConstraints },
      ],
    },
  },
];
