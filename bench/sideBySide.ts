// Two builds of signalry side by side in one run: a baseline dist/ (an earlier commit, built
// elsewhere) and this checkout's dist/, on the scenarios a change to the core can slow down (emit and
// send to 0/1/10/100 receivers, connect+disconnect churn, a sender-filtered send, an async send)
// and the heap each keeps per connection. Prints each figure and the ratio this build / baseline.
//
//   npm run build
//   (build the baseline: git archive <commit> | tar -x -C /tmp/old-src; cd /tmp/old-src; npx tsup)
//   SIGNALRY_BASELINE_DIST=/tmp/old-dist node --import tsx bench/sideBySide.ts
//   (BENCH_SUBSCRIBE=tracing|send: the same with a subscriber to the diagnostics channels)
//
// Both builds run the same scenario code (bench/libraries/signalry.ts), loaded twice as two modules
// so that neither build's calls make the other's call sites polymorphic. Every scenario is measured
// BENCH_ROUNDS times (default 3), alternating which build goes first; the figure is the fastest
// sample (a shared machine only ever adds time).
import { spawnSync } from 'node:child_process'
import { subscribe, tracingChannel } from 'node:diagnostics_channel'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { measure } from 'mitata'
import type { Suite } from './common.js'

const benchDir = dirname(fileURLToPath(import.meta.url))
const rootDir = join(benchDir, '..')

/** The scenario module of one build: bench/libraries/signalry.ts importing that build's dist. */
function scenarioModuleFor(dist: string, label: string): string {
  const source = readFileSync(join(benchDir, 'libraries', 'signalry.ts'), 'utf8')
    .replace("'../../dist/index.js'", JSON.stringify(pathToFileURL(join(dist, 'index.js')).href))
    .replace("'../common.js'", JSON.stringify(pathToFileURL(join(benchDir, 'common.ts')).href))
  const file = join(benchDir, `.side-by-side-${label}-${process.pid}.ts`)
  writeFileSync(file, source)
  return file
}

// The heap child: node --expose-gc --import tsx bench/sideBySide.ts --heap <scenario module> <connections>
if (process.argv[2] === '--heap') {
  const gc = (globalThis as { gc?: () => void }).gc as () => void
  const count = Number(process.argv[4])
  const { suite } = (await import(pathToFileURL(process.argv[3] as string).href)) as { suite: Suite }
  const listeners = Array.from({ length: count }, (_, k) => () => k)
  const settled = (): number => {
    for (let i = 0; i < 4; i++) gc()
    return process.memoryUsage().heapUsed
  }
  const before = settled()
  const kept = (suite.retain as NonNullable<Suite['retain']>)(listeners)
  const after = settled()
  ;(globalThis as { kept?: unknown }).kept = [kept, listeners]
  console.log(JSON.stringify({ bytesPerConnection: (after - before) / count }))
  process.exit(0)
}

const baselineDist = process.env.SIGNALRY_BASELINE_DIST
if (baselineDist === undefined)
  throw new Error('set SIGNALRY_BASELINE_DIST to the baseline build (a dist/ directory)')
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
// BENCH_SUBSCRIBE=tracing subscribes empty handlers to every event of the tracing channel
// signalry:send (=send: to the plain channel) for the whole run: the cost of a send with a
// subscriber, this build against a baseline that has no tracing channel (or against itself).
const subscribeTo = process.env.BENCH_SUBSCRIBE
if (subscribeTo === 'tracing') {
  const noop = () => {}
  tracingChannel('signalry:send').subscribe({
    start: noop,
    end: noop,
    asyncStart: noop,
    asyncEnd: noop,
    error: noop,
  })
} else if (subscribeTo === 'send') {
  subscribe('signalry:send', () => {})
} else if (subscribeTo !== undefined) {
  throw new Error(`BENCH_SUBSCRIBE is 'tracing' or 'send', got ${JSON.stringify(subscribeTo)}`)
}
const MIN_CPU_NS = Number(process.env.BENCH_TIME_MS ?? 300) * 1e6
const HEAP_CONNECTIONS = 100_000

const builds = [
  { label: 'baseline', file: scenarioModuleFor(resolve(baselineDist), 'baseline') },
  // SIGNALRY_CURRENT_DIST=<the baseline again> measures the noise floor: two copies of one build.
  {
    label: 'this build',
    file: scenarioModuleFor(resolve(process.env.SIGNALRY_CURRENT_DIST ?? join(rootDir, 'dist')), 'current'),
  },
]
try {
  const load = async (file: string): Promise<Suite> =>
    ((await import(pathToFileURL(file).href)) as { suite: Suite }).suite
  const suites = await Promise.all(builds.map((build) => load(build.file)))
  const scenarios: Array<[name: string, make: (suite: Suite) => (() => unknown) | undefined]> = []
  for (const n of [0, 1, 10, 100]) scenarios.push([`emit ${n}`, (suite) => suite.emit?.(n)])
  for (const n of [0, 1, 10, 100]) scenarios.push([`send ${n}`, (suite) => suite.send?.(n)])
  scenarios.push(['churn 10', (suite) => suite.churn?.(10)])
  for (const senders of [1, 10_000])
    scenarios.push([`filtered send ${senders}`, (suite) => suite.filtered?.(senders)])
  for (const n of [1, 10]) scenarios.push([`sendAsync ${n}`, (suite) => suite.emitAsync?.(n)])

  // BENCH_ONLY=regex (matched against the scenario name) measures a subset, for iterating.
  const only = process.env.BENCH_ONLY === undefined ? undefined : new RegExp(process.env.BENCH_ONLY)
  if (only !== undefined)
    scenarios.splice(0, scenarios.length, ...scenarios.filter(([name]) => only.test(name)))
  const runs = scenarios.map(([name, make]) => ({
    name,
    runs: suites.map((suite) => make(suite) as () => unknown),
  }))
  const best = runs.map(() => [Infinity, Infinity])
  for (let round = 0; round < ROUNDS; round++) {
    process.stderr.write(`round ${round + 1}/${ROUNDS} `)
    for (const [i, scenario] of runs.entries()) {
      const order = (round + i) % 2 === 0 ? [0, 1] : [1, 0]
      for (const b of order) {
        const run = scenario.runs[b] as () => unknown
        for (let k = 0; k < 1000; k++) await run()
        const stats = await measure(run, { min_cpu_time: MIN_CPU_NS })
        const figures = best[i] as number[]
        figures[b] = Math.min(figures[b] as number, stats.min)
      }
      process.stderr.write('.')
    }
    process.stderr.write('\n')
  }

  const heap =
    only !== undefined && !only.test('retained')
      ? [NaN, NaN]
      : builds.map((build) => {
          const script = fileURLToPath(import.meta.url)
          const args = [
            '--expose-gc',
            '--import',
            'tsx',
            script,
            '--heap',
            build.file,
            String(HEAP_CONNECTIONS),
          ]
          const child = spawnSync(process.execPath, args, { cwd: rootDir, encoding: 'utf8' })
          if (child.status !== 0)
            throw new Error(`heap measurement of the ${build.label} failed: ${child.stderr}`)
          const last = child.stdout.trim().split('\n').pop() as string
          return (JSON.parse(last) as { bytesPerConnection: number }).bytesPerConnection
        })

  const rows = runs.map((scenario, i) => {
    const [before, after] = best[i] as [number, number]
    return `| ${scenario.name} | ${before.toFixed(2)} ns | ${after.toFixed(2)} ns | ${(after / before).toFixed(2)} |`
  })
  const [heapBefore, heapAfter] = heap as [number, number]
  const heapRatio = (heapAfter / heapBefore).toFixed(2)
  const heapName = `retained bytes per connection (${HEAP_CONNECTIONS} on one signal)`
  rows.push(`| ${heapName} | ${heapBefore.toFixed(1)} B | ${heapAfter.toFixed(1)} B | ${heapRatio} |`)
  console.log(`Node ${process.version}, ${ROUNDS} rounds, fastest sample per call\n`)
  console.log('| scenario | baseline | this build | this build / baseline |')
  console.log('| --- | ---: | ---: | ---: |')
  for (const row of rows) console.log(row)
} finally {
  for (const build of builds) rmSync(build.file, { force: true })
}
