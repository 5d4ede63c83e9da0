// `signalry/testing/jest`: the recorder matchers for jest's `expect.extend`, and their types on
// jest's `expect` (`@jest/globals` and `expect`: the `expect` module; `@types/jest`: the `jest` namespace).
import type { SignalMatchers } from '../../testing/matchers'

export {
  type SignalMatcherContext,
  type SignalMatcherResult,
  type SignalMatchers,
  signalMatchers,
} from '../../testing/matchers'

declare module 'expect' {
  interface Matchers<R extends void | Promise<void>, T = unknown> extends SignalMatchers<R> {}
}

declare global {
  namespace jest {
    interface Matchers<R, T = {}> extends SignalMatchers<R> {}
  }
}
