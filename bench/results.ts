// bench/RESULTS.md is written by several benchmarks, each into a section of its own between
// <!-- name:start --> and <!-- name:end -->: a run replaces its section and leaves the others alone.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const resultsPath = join(dirname(fileURLToPath(import.meta.url)), 'RESULTS.md')

const HEADER =
  '# Benchmark results\n\nWritten by the benchmarks in this folder; each section is replaced by the run that writes it.\n'

/** Replaces the section `name` of bench/RESULTS.md with `body` (added at the end if it is not there yet). */
export function writeResultsSection(name: string, body: string): void {
  const start = `<!-- ${name}:start -->`
  const end = `<!-- ${name}:end -->`
  const existing = existsSync(resultsPath) ? readFileSync(resultsPath, 'utf8') : HEADER
  const block = `${start}\n${body.endsWith('\n') ? body : `${body}\n`}${end}`
  const startAt = existing.indexOf(start)
  const endAt = existing.indexOf(end)
  writeFileSync(
    resultsPath,
    startAt !== -1 && endAt > startAt
      ? existing.slice(0, startAt) + block + existing.slice(endAt + end.length)
      : `${existing.trimEnd()}\n\n${block}\n`,
  )
}
