// Resetting signals between tests, and finding receivers a test left connected.
import { ANY, defaultNamespace, type Namespace, type PatternConnection, type Signal } from 'signalry'
import { describeSignal, describeValue, functionLabel } from '../shared/describe'
import { invalidArgument } from '../shared/validate'

/**
 * Disconnects every receiver of every signal of `namespace`, for `afterEach` (what blinker's own
 * tests do with `_clear_state`), and ends its wildcard subscriptions
 * ({@link Namespace.connectMatching}), so that no signal created later gets their receivers.
 * Meta-signals' receivers (`receiverConnected`, …) stay, as with `disconnectAll()`, which this
 * calls for each signal.
 *
 * @param namespace - The namespace to reset; the default one (that of `signal()`) when left out.
 * @returns How many connections were removed.
 * @throws TypeError for something that is not a namespace.
 *
 * @example
 * ```ts
 * import { signal } from 'signalry'
 * import { resetSignals } from 'signalry/testing'
 *
 * signal('docs.reset.saved').connect(() => {})
 * signal('docs.reset.deleted').connect(() => {})
 * console.log(resetSignals() >= 2, signal('docs.reset.saved').receiverCount) // Prints: true 0
 * ```
 */
export function resetSignals(namespace: Namespace<any> = defaultNamespace): number {
  const signals = signalsOf('resetSignals', namespace)
  let removed = 0
  for (const subscription of patternConnectionsOf(namespace)) {
    removed += subscription.signals().length
    subscription.disconnect()
  }
  for (const signal of signals) removed += signal.disconnectAll()
  return removed
}

function signalsOf(method: string, namespace: Namespace<any>): Iterable<Signal<any, any, any>> {
  if (typeof (namespace as { inspect?: unknown } | null)?.inspect !== 'function')
    throw invalidArgument(method, 'a Namespace', namespace)
  // Through unknown: comparing NamedSignal with Signal structurally is slow for the compiler.
  return namespace as unknown as Iterable<Signal<any, any, any>>
}

/** The wildcard subscriptions of `namespace` (none for a namespace of a copy of the library without them). */
function patternConnectionsOf(namespace: Namespace<any>): PatternConnection[] {
  const list = (namespace as { patternConnections?: () => PatternConnection[] }).patternConnections
  return typeof list === 'function' ? list.call(namespace) : []
}

/** One connection of a signal: its receiver and the sender it is for. */
interface Held {
  readonly receiver: Function
  readonly sender: unknown
}

/** One wildcard subscription: its pattern and receiver. */
interface Subscribed {
  readonly pattern: string
  readonly receiver: Function
}

function subscriptionsOf(namespace: Namespace<any>): Subscribed[] {
  return patternConnectionsOf(namespace).flatMap(({ pattern, receiver }) =>
    receiver === undefined ? [] : [{ pattern, receiver }],
  )
}

function connectionsOf(signal: Signal<any, any, any>): Held[] {
  return signal.connections().map(({ receiver, sender }) => ({ receiver, sender }))
}

/**
 * The connections of a namespace at one moment, to compare later ones against: made by
 * {@link leakBaseline}, checked by {@link expectNoLeakedReceivers}.
 *
 * @example
 * ```ts
 * import { Namespace } from 'signalry'
 * import { type LeakBaseline, leakBaseline } from 'signalry/testing'
 *
 * const baseline: LeakBaseline = leakBaseline(new Namespace())
 * console.log(baseline.leaks()) // Prints: []
 * ```
 */
export interface LeakBaseline {
  /** The namespace the baseline is of. */
  readonly namespace: Namespace<any>
  /** What is connected now and was not when the baseline was taken, one line per connection. */
  leaks(): string[]
}

/**
 * Takes a baseline of what is connected in `namespace` now (the receivers modules connect when
 * they load), for {@link expectNoLeakedReceivers} to compare against after each test.
 *
 * @param namespace - The namespace to watch; the default one when left out.
 * @throws TypeError for something that is not a namespace.
 *
 * @example
 * ```ts
 * import { Namespace } from 'signalry'
 * import { leakBaseline } from 'signalry/testing'
 *
 * const shop = new Namespace()
 * shop.signal('order.paid').connect(function sendReceipt() {}) // connected at module load: allowed
 * const baseline = leakBaseline(shop)
 * shop.signal('order.paid').connect(function audit() {}, { sender: 'checkout' })
 * console.log(baseline.leaks()) // Prints: [ 'order.paid: audit (sender: string "checkout")' ]
 * ```
 */
export function leakBaseline(namespace: Namespace<any> = defaultNamespace): LeakBaseline {
  const before = new Map<Signal<any, any, any>, Held[]>()
  for (const signal of signalsOf('leakBaseline', namespace)) before.set(signal, connectionsOf(signal))
  return baselineOf(namespace, before, subscriptionsOf(namespace))
}

/** A baseline of `namespace` where `before` holds what each signal had; a signal missing had nothing. */
function baselineOf(
  namespace: Namespace<any>,
  before: ReadonlyMap<Signal<any, any, any>, Held[]>,
  subscriptionsBefore: readonly Subscribed[],
): LeakBaseline {
  return {
    namespace,
    leaks(): string[] {
      const leaks: string[] = []
      const subscriptions = patternConnectionsOf(namespace)
      for (const now of subscriptions) {
        const inBaseline = subscriptionsBefore.some(
          (old) => old.pattern === now.pattern && old.receiver === now.receiver,
        )
        if (!inBaseline && now.receiver !== undefined)
          leaks.push(`pattern ${JSON.stringify(now.pattern)}: ${functionLabel(now.receiver)}`)
      }
      for (const signal of namespace as unknown as Iterable<Signal<any, any, any>>) {
        const known = before.get(signal) ?? []
        // What the subscriptions connected is theirs: reported with them (above), or in the baseline.
        const relays = new Set(subscriptions.map((subscription) => subscription.receiverOn(signal)))
        for (const held of connectionsOf(signal)) {
          if (relays.has(held.receiver)) continue
          const inBaseline = known.some(
            (old) => old.receiver === held.receiver && Object.is(old.sender, held.sender),
          )
          if (inBaseline) continue
          const sender = held.sender === ANY ? '' : ` (sender: ${describeValue(held.sender)})`
          leaks.push(`${signalName(signal)}: ${functionLabel(held.receiver)}${sender}`)
        }
      }
      return leaks
    },
  }
}

function signalName(signal: Signal<any, any, any>): string {
  const name = (signal as { name?: unknown }).name
  return typeof name === 'string' ? name : describeSignal(signal)
}

/**
 * Thrown by {@link expectNoLeakedReceivers}: receivers are still connected that were not when the
 * baseline was taken. {@link LeakedReceiversError.leaks} lists them.
 *
 * @example
 * ```ts
 * import { Namespace } from 'signalry'
 * import { expectNoLeakedReceivers, LeakedReceiversError, leakBaseline } from 'signalry/testing'
 *
 * const shop = new Namespace()
 * const baseline = leakBaseline(shop)
 * shop.signal('order.paid').connect(function forgotten() {})
 * try {
 *   expectNoLeakedReceivers(baseline)
 * } catch (error) {
 *   if (error instanceof LeakedReceiversError) console.log(error.leaks) // Prints: [ 'order.paid: forgotten' ]
 * }
 * ```
 */
export class LeakedReceiversError extends Error {
  /** One line per connection left behind: `signal: receiver (sender: …)`. */
  readonly leaks: readonly string[]

  /**
   * Creates the error for the connections in `leaks`; {@link expectNoLeakedReceivers} throws it.
   *
   * @param leaks - One line per connection left behind.
   */
  constructor(leaks: readonly string[]) {
    super(
      `${leaks.length} receiver${leaks.length === 1 ? ' is' : 's are'} still connected that ${leaks.length === 1 ? 'was' : 'were'} not at the baseline:\n` +
        leaks.map((leak) => `  - ${leak}`).join('\n') +
        '\nDisconnect them where the test connects them (`using`, connectedTo(), disconnect()), or call resetSignals() in afterEach.',
    )
    this.name = 'LeakedReceiversError'
    this.leaks = leaks
  }
}

/**
 * Fails with a {@link LeakedReceiversError} listing every receiver connected now that was not at
 * `baseline` (by default: an empty baseline of the default namespace, so every connection counts).
 * For `afterEach`, after the test's own cleanup.
 *
 * @param baseline - What may stay connected, from {@link leakBaseline}.
 * @throws LeakedReceiversError when something was left connected.
 *
 * @example
 * ```ts
 * import { Namespace } from 'signalry'
 * import { expectNoLeakedReceivers, leakBaseline } from 'signalry/testing'
 *
 * const shop = new Namespace()
 * const baseline = leakBaseline(shop)
 * const paid = shop.signal('order.paid')
 * {
 *   using _scoped = paid.connectedTo(() => {})
 * }
 * expectNoLeakedReceivers(baseline) // passes: the scope disconnected it
 * paid.connect(function leftBehind() {})
 * try {
 *   expectNoLeakedReceivers(baseline)
 * } catch (error) {
 *   console.log((error as Error).message.split('\n')[1]) // Prints:   - order.paid: leftBehind
 * }
 * ```
 */
export function expectNoLeakedReceivers(baseline?: LeakBaseline): void {
  if (baseline !== undefined && typeof (baseline as { leaks?: unknown }).leaks !== 'function')
    throw invalidArgument('expectNoLeakedReceivers', 'a baseline from leakBaseline()', baseline)
  const leaks = (baseline ?? baselineOf(defaultNamespace, new Map(), [])).leaks()
  if (leaks.length > 0) throw new LeakedReceiversError(leaks)
}
