import { packageEntries } from './scripts/entries.cjs'

// The tests by kind, one jest project each, so that each kind runs alone (`npm run test:unit`, ...):
//   unit         behaviour of the library, in-process
//   conformance  blinker's suite and edge cases, the reference model, the bad-input and fault sweeps
//   docs         README, TSDoc and examples/ compile, run and print what they say; API documentation
//   package      the built and packed package as users install it; the release procedure
//   integration  real redis-server, headless Chromium, worker threads, child processes
//   heap         heap measurements (*.heap.test.ts)
// The heap tests measure the whole process heap, so they run on their own, in one process
// (`npm run test:heap`: SIGNALRY_HEAP_TESTS=1 jest --runInBand): in a worker shared with other files
// (Redis clients, a browser, pending finalizers) their figures would be someone else's. Plain `jest`
// therefore leaves them out.
const kinds = ['unit', 'conformance', 'docs', 'package', 'integration']
if (process.env.SIGNALRY_HEAP_TESTS) kinds.push('heap')

/** @type {import('jest').Config} */
const shared = {
  rootDir: '.',
  testEnvironment: 'node',
  // Jest 30 "soft-deletes" what a test file left on its global by turning each property into an
  // accessor whose setter calls itself: code of a finished file that still runs later (a
  // FinalizationRegistry callback ending a connection once GC collects its sender or owner, which
  // the GC-heavy tests of the next file trigger) then dies with "Maximum call stack size exceeded".
  testEnvironmentOptions: { globalsCleanup: 'off' },
  // A test's time limit is a hang guard, not a speed check (benchmarks check speed): the GC-heavy
  // lifetime tests force dozens of full collections of a jest worker's heap, which took over jest's
  // default 5 s on a loaded 2-core machine.
  testTimeout: 20_000,
  // Tests import the package by name, the way users do; every export of package.json maps to its source.
  moduleNameMapper: Object.fromEntries(
    packageEntries().map(({ specifier, source }) => [`^${specifier}$`, `<rootDir>/${source}`]),
  ),
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

/** @type {import('jest').Config} */
export default {
  projects: kinds.map((kind) => ({
    ...shared,
    displayName: kind,
    // Only *.test.ts files are tests; helpers and fixtures under __tests__/ are not.
    testMatch: [`<rootDir>/__tests__/${kind}/**/*.test.ts`],
  })),
  // After the run, one line naming the tests skipped for a missing redis-server or Chromium and the
  // command that installs them (see __tests__/helpers/services.ts).
  reporters: ['default', '<rootDir>/__tests__/helpers/skippedServicesReporter.cjs'],
}
