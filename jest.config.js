/**
 * One jest run for the whole repository. ESM throughout (NestJS 12 ships ESM only), TypeScript through SWC
 * with decorator metadata so Nest's dependency injection sees constructor types.
 */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

/**
 * ESM-only packages that CommonJS dependencies require(): Node 20.19 allows that, jest's module system does not,
 * so jest compiles them to CommonJS.
 */
const REQUIRED_ESM = ['content-disposition'];

const common = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': swc,
    [`node_modules/.*(${REQUIRED_ESM.join('|')})/.+\\.js$`]: ['@swc/jest', { module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(.*/)?(${REQUIRED_ESM.join('|')})/)`],
  moduleNameMapper: {
    '^@ent-observatory/(xapi|warehouse|store|directory|indicators|simulator)$': '<rootDir>/libs/$1/src/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
  rootDir: '.',
};

export default {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  // End-to-end files start the whole application (PGlite's first start alone takes seconds).
  testTimeout: 120_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/src/**/*.spec.ts', '<rootDir>/apps/api/src/**/*.spec.ts'],
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e.ts'] },
  ],
};
