// What kind of function a receiver is, read once when it is connected. A hostile "function" (a
// revoked proxy) cannot be inspected; it is rejected with a TypeError that names the argument,
// before any bookkeeping changes.

import { assertReceiver } from './options'

/** Throws a TypeError unless `receiver` is a function that can be connected (inspected, not a revoked proxy). */
export function assertConnectableReceiver(method: string, receiver: unknown): asserts receiver is (...args: never[]) => unknown {
  assertReceiver(method, receiver)
  try {
    void (receiver as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag]
  } catch (error) {
    throw new TypeError(
      `${method}() expects a function as receiver, got a function that cannot be inspected (a revoked proxy?): ${messageOf(error)}`,
      { cause: error },
    )
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
