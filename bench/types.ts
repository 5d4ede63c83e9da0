// Type-checking cost for consumers: how many type instantiations TypeScript spends per call that
// infers `Signal<P, S>` from a signal. A generated project declares COUNT signals in the registry
// (`SignalTypes`, by module augmentation) and makes as many explicitly typed `new Signal<P, S>()`;
// each variant is compiled by `tsc --extendedDiagnostics` against the built declarations (dist/),
// once with the signals only and once with a call per signal to a generic function of `Signal<P, S>`.
// The difference, divided by COUNT, is the cost of one call.
//
//   npm run bench:types            (builds first; BENCH_TYPES_COUNT=300 by default)
//
// Writes its table between `<!-- types:start -->` and `<!-- types:end -->` in bench/RESULTS.md.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { resultsPath, writeResultsSection } from './results.js'

const benchDir = dirname(fileURLToPath(import.meta.url))
const rootDir = join(benchDir, '..')
const COUNT = Number(process.env['BENCH_TYPES_COUNT'] ?? 300)
const tsc = join(rootDir, 'node_modules', 'typescript', 'bin', 'tsc')
// The declarations compiled against: this checkout's build, or BENCH_TYPES_DECLARATIONS (for trials).
const declarations = process.env['BENCH_TYPES_DECLARATIONS'] ?? join(rootDir, 'dist', 'index.d.ts')

if (!existsSync(declarations)) {
  throw new Error('dist/ is missing: run `npm run build` first (`npm run bench:types` does)')
}

const indices = Array.from({ length: COUNT }, (_, i) => i)

/** The registry: one name per signal, each with a payload and a sender type of its own. */
const registry = `import type {} from 'signalry'

${indices.map((i) => `export class Sender${i} { readonly kind${i} = ${i} }`).join('\n')}

declare module 'signalry' {
  interface SignalTypes {
${indices.map((i) => `    'sig.${i}': { payload: { id: number; field${i}: string }; sender: Sender${i} }`).join('\n')}
  }
}
`

/** A generic function of a signal: what a consumer's helper (a logger, a test utility) looks like. */
const helper = `import type { Signal } from 'signalry'

export function payloadOf<P, S>(signal: Signal<P, S>): P {
  return signal as never
}
`

type Kind = 'registry' | 'explicit' | 'named'

function signals(kind: Kind): string {
  if (kind === 'registry') {
    return `import { signal } from 'signalry'
import './registry'

${indices.map((i) => `export const s${i} = signal('sig.${i}')`).join('\n')}
`
  }
  const made = kind === 'named' ? 'NamedSignal' : 'Signal'
  const name = (i: number): string => (kind === 'named' ? `'sig.${i}'` : '')
  return `import { ${made} } from 'signalry'
import type { ${indices.map((i) => `Sender${i}`).join(', ')} } from './registry'

${indices.map((i) => `export const s${i} = new ${made}<{ id: number; field${i}: string }, Sender${i}>(${name(i)})`).join('\n')}
`
}

const calls = `import { payloadOf } from './helper'
import * as all from './signals'

${indices.map((i) => `export const p${i} = payloadOf(all.s${i})`).join('\n')}
`

function instantiations(kind: Kind, withCalls: boolean): number {
  const dir = mkdtempSync(join(tmpdir(), 'signalry-types-'))
  try {
    mkdirSync(join(dir, 'src'))
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          lib: ['ES2022', 'ESNext.Disposable'],
          module: 'ESNext',
          moduleResolution: 'Bundler',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
          paths: { signalry: [declarations] },
        },
        include: ['src'],
      }),
    )
    writeFileSync(join(dir, 'src', 'registry.ts'), registry)
    writeFileSync(join(dir, 'src', 'helper.ts'), helper)
    writeFileSync(join(dir, 'src', 'signals.ts'), signals(kind))
    if (withCalls) writeFileSync(join(dir, 'src', 'calls.ts'), calls)
    const output = execFileSync(process.execPath, [tsc, '-p', dir, '--extendedDiagnostics'], {
      encoding: 'utf8',
    })
    const match = /^Instantiations:\s+(\d+)/m.exec(output)
    if (match === null) throw new Error(`tsc printed no instantiation count:\n${output}`)
    return Number(match[1])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.env['BENCH_TYPES_NO_WRITE'] === '1') {
  // Trials: print the per-call figures only.
  for (const kind of ['explicit', 'named', 'registry'] as const) {
    console.log(kind, (instantiations(kind, true) - instantiations(kind, false)) / COUNT)
  }
  process.exit(0)
}

const LABELS: Record<Kind, string> = {
  explicit: 'explicit: `new Signal<P, S>()`',
  named: "explicit, named: `new NamedSignal<P, S>('sig.N')`",
  registry: "registry: `signal('sig.N')` (a `NamedSignal`)",
}
const rows: string[][] = []
const perCall: Record<Kind, number> = { registry: 0, explicit: 0, named: 0 }
for (const kind of ['explicit', 'named', 'registry'] as const) {
  const without = instantiations(kind, false)
  const withCalls = instantiations(kind, true)
  perCall[kind] = (withCalls - without) / COUNT
  rows.push([
    LABELS[kind],
    without.toLocaleString('en-US'),
    withCalls.toLocaleString('en-US'),
    perCall[kind].toFixed(1),
  ])
  process.stderr.write(`${kind}: ${without} without calls, ${withCalls} with ${COUNT} calls\n`)
}
const ratio = perCall.registry / perCall.explicit

const table = (header: string[], body: string[][]): string =>
  [header, header.map((_, i) => (i === 0 ? '---' : '---:')), ...body]
    .map((cells) => `| ${cells.join(' | ')} |`)
    .join('\n')

const typescriptVersion = (
  JSON.parse(readFileSync(join(rootDir, 'node_modules', 'typescript', 'package.json'), 'utf8')) as {
    version: string
  }
).version
const section = `## Types: the cost of inferring \`Signal<P, S>\` for consumers

Written by \`npm run bench:types\` (bench/types.ts) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC; TypeScript ${typescriptVersion}.

- A generated project of ${COUNT} signals, compiled by \`tsc --extendedDiagnostics\` against dist/index.d.ts
  (strict, \`skipLibCheck\`): each signal once without and once with a call \`payloadOf(s)\` to
  \`function payloadOf<P, S>(signal: Signal<P, S>): P\`. "Per call" is the difference in
  instantiations divided by ${COUNT}. Instantiation counts are deterministic for one TypeScript version.
- Target: a registry signal within 3× of an explicit \`Signal\`.

${table(['signals', 'instantiations, signals only', `with ${COUNT} calls`, 'per call'], rows)}

Registry ÷ explicit, per call: **${ratio.toFixed(1)}×** (target ≤ 3×: ${ratio <= 3 ? 'met' : 'missed'}).
`
console.log(section)

writeResultsSection('types', section)
process.stderr.write(`wrote ${resultsPath}\n`)
