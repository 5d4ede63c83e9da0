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

/**
 * The type of {@link ANY}, for signatures that accept "any sender".
 *
 * @example
 * ```ts
 * import { ANY, type Any } from 'signalry'
 *
 * function describeSender(sender: string | Any): string {
 *   return sender === ANY ? 'every sender' : sender
 * }
 * console.log(describeSender(ANY)) // Prints: every sender
 * ```
 */
export type Any = typeof ANY
