// `npm run fuzz`: the model-based property test of __tests__/conformance/modelBased.test.ts with a random seed
// and many more runs. The seed is printed first; replay a failure with
//   SIGNALRY_FUZZ_SEED=<seed> [SIGNALRY_FUZZ_PATH=<path>] npm run fuzz
// (the path, printed on failure, jumps straight to the shrunk counterexample).
// SIGNALRY_FUZZ_RUNS sets the number of runs (default 100 000).
import fc from 'fast-check'
import { assertLibraryMatchesModel, programArb } from '../model/harness'

const seed =
  process.env['SIGNALRY_FUZZ_SEED'] !== undefined
    ? Number(process.env['SIGNALRY_FUZZ_SEED'])
    : Math.floor(Math.random() * 2 ** 31)
const path = process.env['SIGNALRY_FUZZ_PATH']
const runs = Number(process.env['SIGNALRY_FUZZ_RUNS'] ?? 100_000)
if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(runs) || runs < 1) {
  console.error('SIGNALRY_FUZZ_SEED and SIGNALRY_FUZZ_RUNS must be integers')
  process.exit(2)
}

console.log(
  `fuzz: ${runs} random programs against the reference model, seed ${seed}${path === undefined ? '' : `, path ${path}`}`,
)
console.log(`replay with: SIGNALRY_FUZZ_SEED=${seed} npm run fuzz`)
const started = Date.now()
let done = 0
const details = await fc.check(
  fc.asyncProperty(programArb, async (program) => {
    await assertLibraryMatchesModel(program)
    done++
    if (done % 10_000 === 0)
      console.log(`  ${done} programs agree (${((Date.now() - started) / 1000).toFixed(1)} s)`)
  }),
  { seed, numRuns: runs, ...(path === undefined ? {} : { path }) },
)
if (details.failed) {
  console.error(fc.defaultReportMessage(details))
  console.error(
    details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance),
  )
  console.error(
    `\nreplay with: SIGNALRY_FUZZ_SEED=${seed} SIGNALRY_FUZZ_PATH=${details.counterexamplePath ?? ''} npm run fuzz`,
  )
  process.exit(1)
}
console.log(
  `fuzz: ${details.numRuns} programs, no divergence (seed ${seed}, ${((Date.now() - started) / 1000).toFixed(1)} s)`,
)
