/** A promise with its resolve and reject at hand, for deciding in a test when an async step ends. */
export interface Deferred<T> {
  readonly promise: Promise<T>
  resolve(value: T): void
  reject(reason: unknown): void
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void
  let reject!: (reason: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/**
 * Lets every pending promise callback run: waits for a macrotask turn (not a timer), by which time
 * the microtask queue is empty and Node has reported any unhandled rejection.
 */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
