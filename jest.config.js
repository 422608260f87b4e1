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

/** The dashboard's component specs: TSX with React's automatic runtime, rendered with react-dom/server. */
const swcTsx = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const common = {
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  transform: {
    '^.+\\.ts$': swc,
    '^.+\\.tsx$': swcTsx,
    [`node_modules/.*(${REQUIRED_ESM.join('|')})/.+\\.js$`]: ['@swc/jest', { module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(.*/)?(${REQUIRED_ESM.join('|')})/)`],
  moduleNameMapper: {
    '^@ent-observatory/(xapi|warehouse|store|directory|indicators|lrs|simulator|training|follow-up)$':
      '<rootDir>/libs/$1/src/index.ts',
    '^@ent-observatory/lrs/pure$': '<rootDir>/libs/lrs/src/pure.ts',
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
      testMatch: [
        '<rootDir>/libs/**/src/**/*.spec.ts',
        '<rootDir>/apps/api/src/**/*.spec.ts',
        '<rootDir>/apps/dashboard/src/**/*.spec.ts?(x)',
      ],
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e.ts'] },
  ],
};
