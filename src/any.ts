/**
 * The "whatever the sender" marker.
 *
 * @remarks
 * A receiver connected with `sender: ANY` (the default) runs for every send, whatever its sender.
 * Sending with `ANY` as the sender reaches only such receivers, and they receive `ANY` as the sender
 * (blinker's behaviour). `ANY` is a registered symbol (`Symbol.for('signalry.ANY')`), so every copy of
 * the library in a process, ESM or CJS, agrees on it.
 *
 * @example
 * ```ts
 * import { ANY, Signal } from 'signalry'
 *
 * const saved = new Signal<{ id: number }, string>()
 * saved.connect((sender, { id }) => console.log(sender, id), { sender: ANY })
 * saved.send('orders', { id: 1 }) // Prints: orders 1
 * ```
 */
export const ANY: unique symbol = Symbol.for('signalry.ANY')

/** The type of {@link ANY}. */
export type Any = typeof ANY
