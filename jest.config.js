/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
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
