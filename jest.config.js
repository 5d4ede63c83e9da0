/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  // Jest 30 "soft-deletes" what a test file left on its global by turning each property into an
  // accessor whose setter calls itself: code of a finished file that still runs later (a
  // FinalizationRegistry callback ending a connection once GC collects its sender or owner, which
  // the GC-heavy tests of the next file trigger) then dies with "Maximum call stack size exceeded".
  testEnvironmentOptions: { globalsCleanup: 'off' },
  // Only *.test.ts files are tests; helpers and fixtures under __tests__/ are not. The heap tests
  // (*.heap.test.ts) measure the whole process heap, so `npm run test:heap` runs them on their own,
  // in one process (SIGNALRY_HEAP_TESTS=1 jest --runInBand): in a worker shared with other files
  // (Redis clients, a browser, pending finalizers) their figures would be someone else's.
  testMatch: [process.env.SIGNALRY_HEAP_TESTS ? '<rootDir>/__tests__/**/*.heap.test.ts' : '<rootDir>/__tests__/**/*.test.ts'],
  testPathIgnorePatterns: process.env.SIGNALRY_HEAP_TESTS ? ['/node_modules/'] : ['/node_modules/', '\\.heap\\.test\\.ts$'],
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
