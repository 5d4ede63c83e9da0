import { brand, definesBrandCheck, hasBrand, NAMED_SIGNAL_BRAND } from './shared/brands'
import { signalText } from './shared/describe'
import { invalidArgument } from './shared/validate'
import { Signal } from './signal'

/**
 * A {@link Signal} with a name, as returned by {@link signal} and {@link Namespace.signal}.
 *
 * @remarks
 * The name only identifies the signal in its namespace and in messages; sending works as for any
 * signal. Create named signals through a namespace so that every call with the name returns the same
 * object; `new NamedSignal(name)` makes one that no namespace knows.
 *
 * @example
 * ```ts
 * import { signal } from 'signalry'
 *
 * const created = signal('user.created', 'Sent after a user is created.')
 * console.log(created.name, '-', created.doc) // Prints: user.created - Sent after a user is created.
 * ```
 */
export class NamedSignal<P = void, S = unknown, R = unknown> extends Signal<P, S, R> {
  /** The signal's name in its namespace: a string or a symbol. */
  readonly name: string | symbol

  /**
   * Creates a named signal that belongs to no namespace; {@link signal} and
   * {@link Namespace.signal} are the usual way to get one.
   *
   * @param name - The signal's name: a string or a symbol.
   * @param doc - What the signal means; kept as {@link Signal.doc}.
   * @throws TypeError if `name` is neither a string nor a symbol, or `doc` not a string.
   */
  constructor(name: string | symbol, doc?: string) {
    if (typeof name !== 'string' && typeof name !== 'symbol') {
      throw invalidArgument('NamedSignal', 'a string or symbol as name', name)
    }
    if (doc !== undefined && typeof doc !== 'string')
      throw invalidArgument('NamedSignal', 'a string as doc', doc)
    super(doc)
    this.name = name
  }

  /** Recognises named signals from every copy of the library in the process. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (!definesBrandCheck(this)) return Function.prototype[Symbol.hasInstance].call(this, value)
    return hasBrand(value, NAMED_SIGNAL_BRAND)
  }

  /** A short description for logs: `NamedSignal("user.created")` (a subclass's own class name). */
  override toString(): string {
    return signalText(this, 'name')
  }
}

brand(NamedSignal.prototype, NAMED_SIGNAL_BRAND)

/**
 * What is published on the `signalry:send` diagnostics channel for each send of a named signal
 * (`send`, `emit`, `sendRobust`, `sendAsync`, `sendAsyncRobust`), before any receiver runs.
 *
 * @remarks
 * Published only while the channel has subscribers; otherwise a send does not build it. Sends of
 * unnamed signals (`new Signal()`, meta-signals) are not published.
 *
 * @example
 * ```ts
 * import { subscribe, unsubscribe } from 'node:diagnostics_channel'
 * import { signal, type SendDiagnostic } from 'signalry'
 *
 * const saved = signal<{ id: number }, string>('diagnostics.saved')
 * saved.connect(() => {})
 * const onSend = (message: unknown) => {
 *   const { name, sender, receiverCount } = message as SendDiagnostic
 *   console.log(`sent ${String(name)} from ${String(sender)} to ${receiverCount} receiver(s)`)
 * }
 * subscribe('signalry:send', onSend)
 * saved.send('orders', { id: 1 }) // Prints: sent diagnostics.saved from orders to 1 receiver(s)
 * unsubscribe('signalry:send', onSend)
 * ```
 */
export interface SendDiagnostic {
  /** The signal being sent. */
  readonly signal: NamedSignal<any, any>
  /** Its name. */
  readonly name: string | symbol
  /** The sender of this send. */
  readonly sender: unknown
  /** How many receivers this send calls: 0 while the signal is muted. */
  readonly receiverCount: number
}
