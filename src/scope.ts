// Scopes: a body that runs with something in force (a mute, a temporary connection), and always
// ends it — when the body returns, throws, or, for an async body, when its promise settles.

import { disposeSymbol } from './shared/dispose'
import { isPromiseLike } from './shared/guards'

/**
 * Runs `body` and then `end`. A body that throws ends the scope and rethrows; a body that returns a
 * promise ends the scope when the promise settles, and the returned promise settles after that.
 */
export function runScoped<T>(body: () => T, end: () => void): T {
  let result: T
  try {
    result = body()
  } catch (error) {
    end()
    throw error
  }
  let thenable: boolean
  try {
    thenable = isPromiseLike(result)
  } catch (error) {
    // Reading `then` threw (a strict Proxy, a throwing getter): the scope still ends.
    end()
    throw error
  }
  if (thenable) return Promise.resolve(result).finally(end) as T
  end()
  return result
}

/** A Disposable that runs `end` once, however often it is disposed. */
export function scopeHandle(end: () => void): Disposable {
  let ended = false
  return {
    [disposeSymbol](): void {
      if (ended) return
      ended = true
      end()
    },
  }
}
