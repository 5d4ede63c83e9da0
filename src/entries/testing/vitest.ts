// `signalry/testing/vitest`: the recorder matchers for vitest's `expect.extend`, and their types
// on vitest's `expect(…)` (its `Matchers` interface, which `Assertion` extends).
import type { SignalMatchers } from '../../testing/matchers'
// Brings vitest's declarations into the program: an augmentation of a module nothing imports fails (TS2664).
import type {} from 'vitest'

export {
  type SignalMatcherContext,
  type SignalMatcherResult,
  type SignalMatchers,
  signalMatchers,
} from '../../testing/matchers'

declare module 'vitest' {
  interface Matchers<T = any> extends SignalMatchers<void> {}
}
