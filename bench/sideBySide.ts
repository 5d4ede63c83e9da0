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
// (bench/builds.ts) so that neither build's calls make the other's call sites polymorphic. Every scenario is measured
// BENCH_ROUNDS times (default 3), alternating which build goes first; the figure is the fastest
// sample (a shared machine only ever adds time).
import { spawnSync } from 'node:child_process'
import { subscribe, tracingChannel } from 'node:diagnostics_channel'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import {
  benchDir,
  currentDist,
  importForBuild,
  measureSideBySide,
  requireBaselineDist,
  rootDir,
} from './builds.js'
import type { Suite } from './common.js'

const scenarioFile = join(benchDir, 'libraries', 'signalry.ts')

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

const baseline = requireBaselineDist()
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

// SIGNALRY_CURRENT_DIST=<the baseline again> measures the noise floor: two copies of one build.
const dists = [
  { label: 'baseline', dist: baseline },
  { label: 'current', dist: resolve(process.env.SIGNALRY_CURRENT_DIST ?? currentDist) },
]
const builds = await Promise.all(
  dists.map(async ({ label, dist }) => ({
    label: label === 'baseline' ? 'baseline' : 'this build',
    ...(await importForBuild<{ suite: Suite }>(scenarioFile, dist, label)),
  })),
)
const suites = builds.map((build) => build.module.suite)
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
const best = await measureSideBySide(runs, { rounds: ROUNDS, minCpuNs: MIN_CPU_NS })

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
