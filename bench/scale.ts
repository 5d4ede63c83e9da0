// Cleanup at scale: how the time of ending N connections of one signal grows with N. Three
// scenarios: disconnecting N receivers of one object sender one by one; N weak receivers of one
// signal collected at once; N owners (one owner-scoped connection each) collected at once. Each
// figure is timed in a child process of its own (--expose-gc, a fresh heap), for N and 4N, for this
// checkout's dist/ and, when SIGNALRY_BASELINE_DIST names one, a baseline build (named by SIGNALRY_BASELINE_NAME, "signalry@main" by default)
// side by side in the same run. Linear cleanup means a 4N/N ratio near 4 (target: ≤ 5).
//
//   npm run build && SIGNALRY_BASELINE_DIST=/path/to/main/dist node --import tsx bench/scale.ts
//
// Writes its tables between `<!-- scale:start -->` and `<!-- scale:end -->` in bench/RESULTS.md.
// A baseline that takes longer than BENCH_SCALE_TIMEOUT_S (default 60) for one figure is reported so.
import { spawnSync } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { baselineLabel } from './builds.js'
import { resultsPath, writeResultsSection } from './results.js'

type Scenario = 'disconnect' | 'weak' | 'owner'
const SCENARIOS: Record<Scenario, string> = {
  disconnect: 'disconnect N receivers of one sender one by one',
  weak: 'N weak receivers of one signal collected at once',
  owner: 'N owners of one signal collected at once',
}

const benchDir = dirname(fileURLToPath(import.meta.url))
const rootDir = join(benchDir, '..')

// ---------------------------------------------------------------------------------------------
// The child: node --expose-gc bench/scale.ts --child <dist> <scenario> <n>; prints milliseconds.

if (process.argv[2] === '--child') {
  const [, , , dist, scenario, countArgument] = process.argv
  const n = Number(countArgument)
  const gc = (globalThis as { gc?: () => void }).gc as () => void
  const { Signal } = (await import(
    pathToFileURL(join(dist as string, 'index.js')).href
  )) as typeof import('../src/index')
  const sig = new Signal<void, unknown>()
  sig.maxReceivers = 0
  let ended = 0
  sig.receiverDisconnected.connect(() => {
    ended++
  })
  const macrotask = (): Promise<void> => new Promise((done) => setImmediate(done))
  let ms: number
  if (scenario === 'disconnect') {
    const sender = { name: 'sender' }
    const receivers = Array.from({ length: n }, (_, k) => () => k)
    for (const receiver of receivers) sig.connect(receiver, { sender })
    const start = performance.now()
    for (const receiver of receivers) sig.disconnect(receiver, { sender })
    ms = performance.now() - start
  } else {
    // Made in a function of their own so that nothing here keeps them; collected in a later job
    // (a WeakRef made in this job keeps its target alive until the job ends).
    const connectAll = (): void => {
      for (let k = 0; k < n; k++) {
        if (scenario === 'weak') {
          sig.connect(() => k, { weak: true })
        } else {
          const owner = { k }
          sig.connect(() => owner.k, { owner })
        }
      }
    }
    connectAll()
    await macrotask()
    const start = performance.now()
    gc()
    while (ended < n) {
      await macrotask()
      if (ended < n) gc()
    }
    ms = performance.now() - start
  }
  if (ended !== n) throw new Error(`${scenario}: ${ended} of ${n} connections ended`)
  console.log(JSON.stringify({ ms }))
  process.exit(0)
}

// ---------------------------------------------------------------------------------------------
// The parent.

const SIZES: Array<[number, number]> = [
  [10_000, 40_000],
  [25_000, 100_000],
]
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const TIMEOUT_MS = Number(process.env.BENCH_SCALE_TIMEOUT_S ?? 60) * 1000
const builds: Array<{ label: string; dist: string }> = [
  { label: 'signalry (this build)', dist: join(rootDir, 'dist') },
]
if (process.env.SIGNALRY_BASELINE_DIST !== undefined) {
  builds.unshift({ label: baselineLabel, dist: resolve(process.env.SIGNALRY_BASELINE_DIST) })
}

/** The median of ROUNDS child runs, in ms (collections make single runs vary); undefined when a run timed out. */
function timeOf(dist: string, scenario: Scenario, n: number): number | undefined {
  const times: number[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const script = fileURLToPath(import.meta.url)
    const child = spawnSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', script, '--child', dist, scenario, String(n)],
      {
        cwd: rootDir,
        encoding: 'utf8',
        timeout: TIMEOUT_MS,
      },
    )
    if (child.signal === 'SIGTERM') return undefined
    if (child.status !== 0) throw new Error(`${scenario} ${n} with ${dist} failed: ${child.stderr}`)
    const { ms } = JSON.parse(child.stdout.trim().split('\n').pop() as string) as { ms: number }
    times.push(ms)
    process.stderr.write('.')
  }
  times.sort((a, b) => a - b)
  return times[(times.length - 1) >> 1]
}

const fmt = (ms: number | undefined): string =>
  ms === undefined ? `> ${TIMEOUT_MS / 1000} s` : ms >= 100 ? ms.toFixed(0) : ms.toFixed(1)
const rows: string[][] = []
const verdicts: string[][] = []
for (const scenario of Object.keys(SCENARIOS) as Scenario[]) {
  for (const build of builds) {
    for (const [n, n4] of SIZES) {
      const small = timeOf(build.dist, scenario, n)
      const large = small === undefined ? undefined : timeOf(build.dist, scenario, n4)
      const ratio = small === undefined || large === undefined ? undefined : large / small
      const shown = ratio === undefined ? '–' : `${ratio.toFixed(2)}`
      rows.push([
        SCENARIOS[scenario],
        build.label,
        `${n.toLocaleString('en')} → ${n4.toLocaleString('en')}`,
        fmt(small),
        fmt(large),
        shown,
      ])
      if (build.dist === builds[builds.length - 1]?.dist) {
        const met = ratio !== undefined && ratio <= 5
        verdicts.push([
          `${SCENARIOS[scenario]}, N = ${n.toLocaleString('en')}: 4N/N ≤ 5`,
          met ? 'yes' : '**no**',
          shown,
        ])
      }
    }
  }
}
process.stderr.write('\n')

const table = (header: string[], body: string[][]): string =>
  [header, header.map((_, i) => (i === 0 ? '---' : i >= 3 ? '---:' : '---')), ...body]
    .map((cells) => `| ${cells.join(' | ')} |`)
    .join('\n')

const section = `## Scale: ending many connections of one signal

Written by \`npm run bench\` (bench/scale.ts) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; Node ${process.version}.

- Each figure: one child process (--expose-gc, fresh heap) per run, the median of ${ROUNDS} runs, in milliseconds.
  "disconnect": \`disconnect(receiver, { sender })\` for each of N receivers of one object sender. "weak" and
  "owner": the time from the first forced collection until every connection was reported ended on
  \`receiverDisconnected\` (the collections themselves included).
- Linear cleanup grows 4× from N to 4N; quadratic cleanup 16×. Target: 4N/N ≤ 5. A time-out is of the whole child
  process: for "weak" and "owner" it includes connecting, which was itself quadratic in the baseline.${
    builds.length > 1
      ? `\n- ${baselineLabel} is the baseline build (SIGNALRY_BASELINE_DIST), measured in the same run.`
      : ''
  }

${table(['scenario', 'build', 'N → 4N', 'N, ms', '4N, ms', '4N ÷ N'], rows)}

### Targets

${table(['target', 'met', '4N ÷ N'], verdicts)}
`
console.log(section)

writeResultsSection('scale', section)
process.stderr.write(`wrote ${resultsPath}\n`)
