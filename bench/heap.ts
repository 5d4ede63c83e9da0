// Child process of core.ts, run with --expose-gc: how many heap bytes one library keeps per connection.
// Usage: node --expose-gc --import tsx bench/heap.ts <library module> <connections> [per emitter]
// With [per emitter], the connections are spread over new emitters, that many each (retain() once per
// group of listeners): what an application with many small signals keeps, emitters included.
// Prints one JSON line: { "bytesPerConnection": number }.
import { pathToFileURL } from 'node:url'
import type { Suite } from './common.js'

const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error('heap.ts needs node --expose-gc')

const [moduleName, countArgument, perEmitterArgument] = process.argv.slice(2)
const count = Number(countArgument ?? 100_000)
const perEmitter = Number(perEmitterArgument ?? count)
// A library under bench/libraries/, or (the baseline build, see core.ts) a module's absolute path.
const target = (moduleName as string).startsWith('/')
  ? pathToFileURL(moduleName as string).href
  : `./libraries/${moduleName}.ts`
const { suite } = (await import(target)) as { suite: Suite }
if (suite.retain === undefined) throw new Error(`${suite.name} has no retain()`)

// The listeners exist before the first reading: only what the library adds for them is counted.
const hits = { total: 0 }
const listeners = Array.from({ length: count }, (_, k) => () => {
  hits.total += k
})

function settledHeap(): number {
  for (let i = 0; i < 4; i++) gc!()
  return process.memoryUsage().heapUsed
}

const before = settledHeap()
const retain = suite.retain
let kept: unknown
if (perEmitter >= count) {
  kept = retain(listeners)
} else {
  const emitters: unknown[] = []
  for (let start = 0; start < count; start += perEmitter)
    emitters.push(retain(listeners.slice(start, start + perEmitter)))
  kept = emitters
}
const after = settledHeap()
// Keep both alive past the second reading.
;(globalThis as { kept?: unknown }).kept = [kept, listeners]
console.log(JSON.stringify({ bytesPerConnection: (after - before) / count }))
