// What wildcard subscriptions (Namespace.connectMatching, issue 21) cost, and what they cost a
// namespace that has none. Issue 21: "a namespace with no wildcard receiver pays nothing on connect,
// create or send (benchmark, side by side); creating a signal with K wildcard receivers costs O(K)
// matches, not a scan of all signals per send."
//
//   npm run build
//   (a baseline from before connectMatching: git worktree add /tmp/base 954c913; cd /tmp/base;
//    npm ci; npx tsup; cp -r dist /tmp/base-dist; echo '{"type":"module"}' > /tmp/base-dist/package.json)
//   SIGNALRY_BASELINE_DIST=/tmp/base-dist npm run bench:patterns
//   (BENCH_NOTE='…' adds a line to the written section: how loaded the machine was)
//
// 1. No wildcard receiver, side by side: the baseline build, the baseline again (a second copy: the
//    noise floor) and this build, on ns.signal(new name), ns.signal(existing name), connect+disconnect
//    and send/emit to 1 and 10 receivers of a named signal. Skipped without SIGNALRY_BASELINE_DIST.
// 2. This build: ns.signal(new name) with K = 0 … 1000 wildcard subscriptions that do not match it and
//    that do; a send of one of N signals all reached by one '*' receiver, for N = 10 … 100 000; a send
//    to one wildcard receiver against one direct receiver (the relay).
// Every figure is mitata's fastest sample, best of BENCH_ROUNDS rounds (default 3), the order of the
// builds alternating. Writes the section `patterns` of bench/RESULTS.md.
import os from 'node:os'
import { join } from 'node:path'
import {
  type Bench,
  baselineDist,
  benchDir,
  currentDist,
  importForBuild,
  measureSideBySide,
} from './builds.js'
import { resultsPath, writeResultsSection } from './results.js'

type Scenarios = typeof import('./patternScenarios.js')

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const MIN_CPU_NS = Number(process.env.BENCH_TIME_MS ?? 200) * 1e6
const scenarioFile = join(benchDir, 'patternScenarios.ts')
const measuring = { rounds: ROUNDS, minCpuNs: MIN_CPU_NS }
const loadBefore = os.loadavg()
const started = performance.now()

const load = async (dist: string, tag: string): Promise<Scenarios> =>
  (await importForBuild<Scenarios>(scenarioFile, dist, tag)).module
const current = await load(currentDist, 'current')

const ns = (value: number): string =>
  value >= 10_000
    ? `${(value / 1000).toFixed(0)} µs`
    : value >= 1000
      ? `${(value / 1000).toFixed(1)} µs`
      : `${value.toFixed(value >= 100 ? 0 : 1)} ns`
const table = (header: string[], body: string[][]): string =>
  [header, header.map((_, i) => (i === 0 ? '---' : '---:')), ...body]
    .map((cells) => `| ${cells.join(' | ')} |`)
    .join('\n')

// ---------------------------------------------------------------------------------------------
// 1. A namespace with no wildcard receiver: this build against the baseline.

const baselineAt = baselineDist()
let sideBySide = `Skipped: SIGNALRY_BASELINE_DIST was not set (a dist/ built from before connectMatching, e.g. 954c913).`
if (baselineAt !== undefined) {
  const builds = [await load(baselineAt, 'baseline'), await load(baselineAt, 'baseline-again'), current]
  const scenarios: Array<[name: string, make: (build: Scenarios) => Bench]> = [
    ['`ns.signal(name)`, a name not created yet', (build) => build.create(() => {})],
    ['`ns.signal(name)`, an existing name', (build) => build.lookup()],
    ['connect + disconnect of a named signal', (build) => build.churn()],
    ['send, 1 receiver', (build) => build.send(1)],
    ['send, 10 receivers', (build) => build.send(10)],
    ['emit, 1 receiver', (build) => build.emit(1)],
    ['emit, 10 receivers', (build) => build.emit(10)],
  ]
  process.stderr.write('no wildcard receiver, side by side: ')
  const best = await measureSideBySide(
    scenarios.map(([name, make]) => ({ name, runs: builds.map(make) })),
    measuring,
  )
  sideBySide = table(
    [
      'scenario',
      'baseline',
      'baseline again',
      'this build',
      'this build ÷ baseline',
      'noise: again ÷ baseline',
    ],
    scenarios.map(([name], i) => {
      const [base, again, now] = best[i] as [number, number, number]
      return [name, ns(base), ns(again), ns(now), (now / base).toFixed(2), (again / base).toFixed(2)]
    }),
  )
}

// ---------------------------------------------------------------------------------------------
// 2. This build with wildcard receivers.

const COUNTS = [0, 1, 10, 100, 1000]
/** Few names per namespace when each has many subscriptions, so that preparing one stays cheap next to using it. */
const perNamespace = (k: number): number => (k === 0 ? 1000 : Math.max(50, Math.min(1000, 20_000 / k)))
const kinds = [
  { label: 'none matches (`other<k>.*`)', pattern: (k: number) => `other${k}.*` },
  { label: 'all match (`sig.*`)', pattern: () => 'sig.*' },
]
process.stderr.write('creating a signal with K subscriptions: ')
const createBest = await measureSideBySide(
  kinds.flatMap((kind) =>
    COUNTS.map((k) => ({
      name: `${kind.label}, K = ${k}`,
      runs: [current.create((space) => current.subscribe(space, k, kind.pattern), perNamespace(k))],
    })),
  ),
  measuring,
)
const createRows = COUNTS.map((k, c) => {
  const cells = [String(k)]
  for (const [i] of kinds.entries()) {
    const t = (createBest[i * COUNTS.length + c] as number[])[0] as number
    const t0 = (createBest[i * COUNTS.length] as number[])[0] as number
    cells.push(ns(t), k === 0 ? '–' : ns((t - t0) / k))
  }
  return cells
})
const createdAt = (kind: number, k: number): number =>
  (createBest[kind * COUNTS.length + COUNTS.indexOf(k)] as number[])[0] as number

const SIGNALS = [10, 1000, 100_000]
process.stderr.write('a send among N signals, one wildcard receiver: ')
const amongBest = await measureSideBySide(
  SIGNALS.map((n) => ({ name: `N = ${n}`, runs: [current.sendAmong(n)] })),
  measuring,
)
const amongAt = (i: number): number => (amongBest[i] as number[])[0] as number
const amongRows = SIGNALS.map((n, i) => [
  n.toLocaleString('en'),
  ns(amongAt(i)),
  (amongAt(i) / amongAt(0)).toFixed(2),
])

process.stderr.write('one wildcard receiver against one direct receiver: ')
const relayScenarios = (['send', 'emit'] as const).map((how) => ({
  name: how,
  runs: [current.sendToOne('direct', how), current.sendToOne('wildcard', how)],
}))
const relayBest = await measureSideBySide(relayScenarios, measuring)
const relayRows = relayScenarios.map(({ name }, i) => {
  const [direct, wildcard] = relayBest[i] as [number, number]
  return [name, ns(direct), ns(wildcard), (wildcard / direct).toFixed(2)]
})

// ---------------------------------------------------------------------------------------------
// The section.

const loadAfter = os.loadavg()
const seconds = ((performance.now() - started) / 1000).toFixed(0)
const cpus = os.cpus()
const section = `## Wildcard subscriptions: what connectMatching costs, and costs a namespace without it

Written by \`npm run bench:patterns\` (bench/patterns.ts) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, in ${seconds} s.

- Machine: ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores; Node ${process.version}. Load average (1 min) ${loadBefore[0]?.toFixed(2)} at the start, ${loadAfter[0]?.toFixed(2)} at the end.${
  process.env.BENCH_NOTE === undefined ? '' : `\n- ${process.env.BENCH_NOTE}`
}
- Each figure: the time of one call in mitata's fastest sample, best of ${ROUNDS} rounds, the order of the builds
  alternating. \`ns.signal(name)\` for a new name is timed alone: the name and, every few hundred names, a fresh
  namespace with its subscriptions are made outside the timed region. Compare within this run, not across runs.

### No wildcard receiver: this build against the build before connectMatching

Issue 21: a namespace with no wildcard receiver pays nothing on connect, create or send. The baseline
(SIGNALRY_BASELINE_DIST, built from the commit before connectMatching) is loaded twice; the second copy's
ratio is the noise of this run.

${sideBySide}

### Creating a signal with K wildcard subscriptions

\`ns.signal(name)\` for a new name in a namespace with K subscriptions of distinct receivers. Issue 21: O(K) matches.
"per subscription" is (t(K) − t(0)) ÷ K: flat when creation is linear in K. When all match, each
subscription also connects its receiver to the new signal (an ordinary connection).

${table(['K', 'none match', 'per subscription', 'all match', 'per subscription'], createRows)}

t(1000) ÷ t(100): ${(createdAt(0, 1000) / createdAt(0, 100)).toFixed(1)} when none match, ${(createdAt(1, 1000) / createdAt(1, 100)).toFixed(1)} when all match (10 is linear).

### A send among N signals, one wildcard receiver

\`send\` of one signal of a namespace of N signals, each reached by one \`connectMatching('*', …)\` receiver, the sent
signal's only receiver. Issue 21: no scan of the signals per send, so flat in N.

${table(['N signals', 'send', '÷ N = 10'], amongRows)}

### One wildcard receiver against one direct receiver

A named signal whose one receiver is connected directly or by \`connectMatching('*', …)\` (a relay that adds the
name and calls it); the receivers do the same work.

${table(['call', 'direct', 'wildcard', 'wildcard ÷ direct'], relayRows)}
`
console.log(section)
writeResultsSection('patterns', section)
process.stderr.write(`wrote ${resultsPath}\n`)
