// Running one benchmark module against two builds of signalry in one process: this checkout's dist/
// and a baseline dist/ built elsewhere (SIGNALRY_BASELINE_DIST). Shared by core.ts, sideBySide.ts
// and patterns.ts.
//
// A module is loaded once per build, as a copy of its own whose import of dist/index.js points at
// that build: each copy has its own call sites, so that neither build's calls make the other's
// polymorphic. The copy is written next to the original (its other relative imports stay valid) and
// removed when the process exits.
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { measure } from 'mitata'

export const benchDir = dirname(fileURLToPath(import.meta.url))
export const rootDir = join(benchDir, '..')
/** This checkout's build (`npm run build`). */
export const currentDist = join(rootDir, 'dist')

/** The import of this checkout's dist/index.js in a bench module, from bench/ or from bench/libraries/. */
const DIST_IMPORT = /'(?:\.\.\/)+dist\/index\.js'/g

/**
 * The baseline build named by SIGNALRY_BASELINE_DIST (a dist/ directory; its folder needs a
 * package.json with "type": "module", the ESM build being .js files), or undefined when unset.
 */
export function baselineDist(): string | undefined {
  const dist = process.env.SIGNALRY_BASELINE_DIST
  return dist === undefined ? undefined : resolve(dist)
}

/**
 * What the baseline build is called in tables: "signalry@<SIGNALRY_BASELINE_NAME>", "signalry@main" when
 * unset. Issue 19's "today's build" is d30efc4, the build of the day the issue was filed.
 */
export const baselineLabel = `signalry@${process.env.SIGNALRY_BASELINE_NAME ?? 'main'}`

/** {@link baselineDist}, for a benchmark that means nothing without one. */
export function requireBaselineDist(): string {
  const dist = baselineDist()
  if (dist === undefined)
    throw new Error(
      'set SIGNALRY_BASELINE_DIST to the baseline build: a dist/ directory built from the commit to compare with (npx tsup), with a package.json {"type":"module"} beside it',
    )
  return dist
}

/**
 * Writes a copy of the bench module `file` (an absolute path) that imports `dist` instead of this
 * checkout's dist/, and returns the copy's path. `edit` may change the copy's source further (a
 * suite's name). The copy is removed when the process exits.
 */
export function moduleForBuild(
  file: string,
  dist: string,
  tag: string,
  edit?: (source: string) => string,
): string {
  const source = readFileSync(file, 'utf8')
  if (source.match(DIST_IMPORT) === null)
    throw new Error(
      `${file} does not import '../dist/index.js' (or '../../dist/index.js'): nothing to point at ${dist}`,
    )
  // The tag in the query makes each copy load its own instance of the build's entry, so that two
  // copies of one build (the noise check) share no call sites.
  const pointed = source.replace(
    DIST_IMPORT,
    JSON.stringify(`${pathToFileURL(join(resolve(dist), 'index.js')).href}?copy=${tag}`),
  )
  const copy = join(dirname(file), `.${basename(file, '.ts')}-${tag}-${process.pid}.ts`)
  writeFileSync(copy, edit === undefined ? pointed : edit(pointed))
  process.on('exit', () => rmSync(copy, { force: true }))
  return copy
}

/** Imports the copy of `file` made for `dist` (see {@link moduleForBuild}). */
export async function importForBuild<Module>(
  file: string,
  dist: string,
  tag: string,
  edit?: (source: string) => string,
): Promise<{ module: Module; file: string }> {
  const copy = moduleForBuild(file, dist, tag, edit)
  return { module: (await import(pathToFileURL(copy).href)) as Module, file: copy }
}

/**
 * What is timed: a function called repeatedly, or `run(next())` where only `run` is timed — for
 * work that needs fresh input each call (a signal name not created yet), made by `next` outside the
 * timed region (mitata's computed parameters).
 */
export type Bench = (() => unknown) | { next: () => unknown; run: (input: any) => unknown }

/** Measures one {@link Bench} with mitata (after a warm-up); returns mitata's statistics. */
export async function measureBench(bench: Bench, minCpuNs: number): Promise<{ min: number; p50: number }> {
  // mitata times single calls (no batching) when its first call is slow, as a cold function's is:
  // warm up first so that every function is measured in batches.
  if (typeof bench === 'function') {
    await warmUp(bench)
    return measure(bench, { min_cpu_time: minCpuNs })
  }
  const { next, run } = bench
  await warmUp(() => run(next()))
  return measure(
    function* () {
      yield { [0]: next, bench: run }
    },
    // mitata makes the inputs of a whole batch before timing it: smaller batches than its 4096 keep
    // fewer of them alive at once (a namespace with 1000 wildcard receivers each 50 names).
    { min_cpu_time: minCpuNs, batch_samples: 256 },
  )
}

/** 1000 calls, or as many as fit in 100 ms for slow ones (a signal created with 1000 wildcard receivers). */
async function warmUp(call: () => unknown): Promise<void> {
  const until = performance.now() + 100
  for (let k = 0; k < 1000 && (k < 10 || performance.now() < until); k++) await call()
}

/** One scenario with one benchmark per build, in the order of the builds. */
export interface SideBySideScenario {
  name: string
  runs: Bench[]
}

/**
 * Measures every scenario's functions with mitata, `rounds` times, alternating which build goes
 * first (by round and by scenario), and returns each scenario's fastest sample per build, in ns per
 * call: on a shared machine preemption only ever adds time, so the fastest sample is the steadiest.
 */
export async function measureSideBySide(
  scenarios: SideBySideScenario[],
  { rounds, minCpuNs }: { rounds: number; minCpuNs: number },
): Promise<number[][]> {
  const best = scenarios.map((scenario) => scenario.runs.map(() => Infinity))
  for (let round = 0; round < rounds; round++) {
    process.stderr.write(`round ${round + 1}/${rounds} `)
    for (const [i, scenario] of scenarios.entries()) {
      const order = scenario.runs.map((_, b) => b)
      if ((round + i) % 2 === 1) order.reverse()
      for (const b of order) {
        const stats = await measureBench(scenario.runs[b] as Bench, minCpuNs)
        const figures = best[i] as number[]
        figures[b] = Math.min(figures[b] as number, stats.min)
      }
      process.stderr.write('.')
    }
    process.stderr.write('\n')
  }
  return best
}
