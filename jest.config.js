// One runner, five projects: unit specs beside the code, real-server connector tests,
// and the e2e suites run on each store: the embedded SQLite, PostgreSQL and MariaDB.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];
// hyparquet and hyparquet-writer ship only ES modules: swc turns them into CommonJS for Jest.
const swcEsm = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];
const common = {
  transform: { '^.+\\.ts$': swc, '/node_modules/hyparquet[^/]*/.+\\.js$': swcEsm },
  transformIgnorePatterns: ['/node_modules/(?!hyparquet)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@app/connectors$': '<rootDir>/libs/connectors/src',
    '^@app/connectors/(.*)$': '<rootDir>/libs/connectors/src/$1',
  },
  testEnvironment: 'node',
};

module.exports = {
  transform: common.transform,
  testTimeout: 60000,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/libs/**/src/**/*.spec.ts'] },
    { ...common, displayName: 'connectors', testMatch: ['<rootDir>/libs/connectors/test/**/*.it-spec.ts'] },
    {
      ...common,
      displayName: 'e2e-sqlite',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      setupFiles: ['<rootDir>/test/setup/store-sqlite.ts'],
    },
    {
      ...common,
      displayName: 'e2e-postgres',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      // Picks its own store (MariaDB): once is enough.
      testPathIgnorePatterns: ['/node_modules/', 'store-mysql'],
      setupFiles: ['<rootDir>/test/setup/store-postgres.ts'],
    },
    {
      ...common,
      displayName: 'e2e-mysql',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', 'store-mysql'],
      setupFiles: ['<rootDir>/test/setup/store-mysql.ts'],
    },
    // The web console in a real headless Chromium (Debian's package), against the service on SQLite.
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'] },
  ],
};
