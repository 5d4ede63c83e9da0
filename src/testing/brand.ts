// How recorders are recognised across copies of the testing code (each entry of signalry/testing
// is built on its own, and the ESM and CJS builds may both be loaded).

/** @internal The brand every recorder carries. */
export const RECORDER: unique symbol = Symbol.for('signalry.testing.recorder') as never

/** @internal Whether `value` carries the recorder brand. */
export function hasRecorderBrand(value: unknown): boolean {
  return typeof value === 'object' && value !== null && RECORDER in value
}
