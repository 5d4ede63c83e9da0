// Real garbage collection for tests: V8's `gc`, exposed at run time (no `--expose-gc` flag needed).
// GC is never assumed synchronous: every pass starts in a new macrotask, because creating or
// dereferencing a WeakRef keeps its target alive until the end of the current job.
import * as v8 from 'node:v8'
import * as vm from 'node:vm'

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void

const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Runs a few full collections, each in a macrotask of its own. */
export async function collectGarbage(passes = 3): Promise<void> {
  for (let pass = 0; pass < passes; pass++) {
    await nextMacrotask()
    gc()
  }
  await nextMacrotask()
}

/** Collects garbage until `ref` is cleared, in a bounded number of passes; whether it was. */
export async function collectedWithin(ref: WeakRef<object>, passes = 20): Promise<boolean> {
  for (let pass = 0; pass < passes; pass++) {
    await collectGarbage(1)
    if (ref.deref() === undefined) return true
  }
  return false
}

/** One full, synchronous collection (for measuring the heap; not enough to clear WeakRefs made in this job). */
export function collectGarbageNow(): void {
  gc()
}

/** Polls `condition` with forced collections in between; whether it became true. */
export async function eventually(condition: () => boolean, passes = 30): Promise<boolean> {
  for (let pass = 0; pass < passes; pass++) {
    if (condition()) return true
    await collectGarbage(1)
  }
  return condition()
}
