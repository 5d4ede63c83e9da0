/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  // Jest 30 "soft-deletes" what a test file left on its global by turning each property into an
  // accessor whose setter calls itself: code of a finished file that still runs later (a
  // FinalizationRegistry callback ending a connection once GC collects its sender or owner, which
  // the GC-heavy tests of the next file trigger) then dies with "Maximum call stack size exceeded".
  testEnvironmentOptions: { globalsCleanup: 'off' },
  // Only *.test.ts files are tests; helpers and fixtures under __tests__/ are not.
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  // Tests import the package by name, the way users do.
  moduleNameMapper: {
    '^signalry$': '<rootDir>/src/index.ts',
    '^signalry/(bridge|broadcast-channel|redis)$': '<rootDir>/src/entries/$1.ts',
  },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        // Types are checked by `tsc --noEmit` in `npm test`; jest only transpiles.
        tsconfig: { module: 'commonjs', moduleResolution: 'node10', isolatedModules: true },
      },
    ],
  },
}
