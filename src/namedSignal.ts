import { invalidArgument } from './errors'
import { Signal } from './signal'

const NAMED_SIGNAL_BRAND = Symbol.for('signalry.NamedSignal@1')

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
    if (doc !== undefined && typeof doc !== 'string') throw invalidArgument('NamedSignal', 'a string as doc', doc)
    super(doc)
    this.name = name
  }

  /** Recognises named signals from every copy of the library in the process. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== NamedSignal) return Function.prototype[Symbol.hasInstance].call(this, value)
    return (
      typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[NAMED_SIGNAL_BRAND] === true
    )
  }

  /** A short description for logs: `NamedSignal("user.created")`. */
  override toString(): string {
    return `NamedSignal(${typeof this.name === 'string' ? JSON.stringify(this.name) : String(this.name)})`
  }
}

Object.defineProperty(NamedSignal.prototype, NAMED_SIGNAL_BRAND, { value: true })
