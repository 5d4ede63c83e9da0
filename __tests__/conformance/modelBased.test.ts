import fc from 'fast-check'
import { assertLibraryMatchesModel, programArb } from '../../model/harness'

// Random programs (connects, disconnects, aborts, sends, scopes, receivers that connect, disconnect,
// send and throw while being called) run against the real Signal and against the reference model in
// model/referenceModel.ts; after every step both must have done and reported the same.
// The seed is fixed so that every run of the suite checks the same programs; `npm run fuzz` explores
// new ones. SIGNALRY_MODEL_RUNS overrides the number of runs.

const runs = Number(process.env['SIGNALRY_MODEL_RUNS'] ?? 2000)

test(`the library behaves like the reference model (${runs} random programs, fixed seed)`, async () => {
  await fc.assert(
    fc.asyncProperty(programArb, async (program) => {
      await assertLibraryMatchesModel(program)
    }),
    { seed: 20261123, numRuns: runs },
  )
})
