// One jest run for the whole workspace (unit, integration on real PostgreSQL and Redis, charts, e2e).
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace('/', '\\/')}$`,
    `<rootDir>/${target}`,
  ]),
);

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs,tools,charts,e2e}/**/*.{spec,e2e-spec,fault-spec}.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // tools/images/build.sh stages an image build context (a package.json among others) under tmp/.
  modulePathIgnorePatterns: ['<rootDir>/tmp/'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
          target: 'es2022',
          keepClassNames: true,
          // Aliases are rewritten at transform time, so globalSetup (which ignores moduleNameMapper) resolves them too.
          baseUrl: __dirname,
          paths: compilerOptions.paths,
        },
        module: { type: 'commonjs' },
      },
    ],
    // ESM-only packages (jose 6, openid-client 6) compiled to CommonJS for jest's module system.
    '^.+/node_modules/(jose|openid-client|oauth4webapi)/.+\\.js$': [
      '@swc/jest',
      { jsc: { target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(jose|openid-client|oauth4webapi)/)'],
  moduleNameMapper,
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
  setupFiles: ['reflect-metadata'],
  testTimeout: 30_000,
  maxWorkers: 2,
  forceExit: false,
};
