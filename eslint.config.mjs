import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:testing'] },
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:app', 'type:lib', 'type:testing'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:app', 'type:lib', 'type:testing', 'type:tool'] },
  { sourceTag: 'scope:auth', onlyDependOnLibsWithTags: ['scope:shared', 'scope:auth'] },
  { sourceTag: 'scope:environment', onlyDependOnLibsWithTags: ['scope:shared', 'scope:environment'] },
  { sourceTag: 'scope:ui', onlyDependOnLibsWithTags: ['scope:shared', 'scope:ui'] },
  {
    sourceTag: 'scope:shared',
    onlyDependOnLibsWithTags: ['scope:shared', 'scope:auth', 'scope:environment', 'scope:ui'],
  },
];

/** Tools and cross-service tests assemble the apps through their public entry (`@cxauth/<app>`) and share the local stack's routing proxy. */
const APP_ENTRIES = ['@cxauth/auth-api', '@cxauth/auth-ui', '@cxauth/environment-api', '@cxauth/local-stack'];

export default [
  { ignores: ['**/dist', '**/node_modules', '**/tmp', '**/.data', '**/.helm', 'jest.config.js', 'tools/build.mjs'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: true, allow: [], depConstraints }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
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
