/** Runs `fn`, which must throw, and returns what it threw (which may be any value, undefined too). */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected the call to throw, but it returned')
}
