// Jest runs the TypeScript sources as ES modules (ts-jest, useESM) under Node 24, with source
// maps, so that failures and coverage point at the TypeScript lines.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json', diagnostics: false }]
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  testTimeout: 30000,
  watchman: false,
  // The end-to-end suites spend their time waiting on loopback servers and real timers, not
  // on the CPU: more workers than cores keep the run short.
  maxWorkers: 5
}
