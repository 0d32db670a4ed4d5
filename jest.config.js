// Jest runs the TypeScript sources as ES modules (ts-jest, useESM) under Node 24.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }]
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  testTimeout: 30000,
  watchman: false,
  // The end-to-end suites spend their time waiting on loopback servers and real timers, not
  // on the CPU: more workers than cores keep the run short.
  maxWorkers: 5
}
