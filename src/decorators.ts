// Connecting receivers where they are declared: `sig.connectVia(sender)` and `receiver(signals)`,
// each usable as a call on a function and as a TC39 standard method decorator.

import { type ConnectOptions, passOn, type ResolvedConnectOptions, resolveConnectOptions } from './options'
import { hasBrand, SIGNAL_BRAND } from './shared/brands'
import { assertConnectableReceiver, invalidArgument } from './shared/validate'
import type { Receiver, signalTypes, TypesOfSignal } from './types'

/**
 * What {@link Signal.connectVia} and {@link receiver} return: a function that connects a receiver,
 * usable as a call on a function and as a TC39 standard method decorator.
 *
 * @remarks
 * - **On a function**, `decorator(fn)` connects `fn` and returns it unchanged.
 * - **On an instance method** (`@decorator`), each instance connects its own receiver when it is
 *   constructed (through `context.addInitializer`, so before the constructor body and field
 *   initializers of the class run): the decorated method bound to the instance, connected with the
 *   instance as its `owner`. The connections live as long as the instance and never keep it alive;
 *   `disconnectOwner(instance)` removes them all at once. `this` inside the method is the instance.
 * - **On a static method**, it connects once, when the class is defined, with the class as owner
 *   and as `this`.
 *
 * The method that was decorated is the one called, also for instances of subclasses that override
 * it. Decorators stack: each one connects the same bound method (one receiver per instance and
 * method), so one signal and sender reached twice still calls it once per send. Standard decorators
 * need TypeScript 5.0 or later without `experimentalDecorators` (or another compiler that
 * implements them); they are not available on fields, getters, setters, accessors or classes, which
 * throw a TypeError when decorated.
 *
 * @typeParam P - The payload type of the signal(s).
 * @typeParam S - The sender type of the signal(s).
 * @typeParam R - What receivers must return.
 *
 * @example
 * ```ts
 * import { type ReceiverDecorator, Signal } from 'signalry'
 *
 * const saved = new Signal<string>()
 * const onSave: ReceiverDecorator<string> = saved.connectVia()
 * onSave((_, name) => console.log('saved', name))
 * saved.send(undefined, 'notes.txt') // Prints: saved notes.txt
 * ```
 */
export interface ReceiverDecorator<P = void, S = unknown, R = unknown> {
  /** Connects `receiver` and returns it unchanged. */
  <F extends Receiver<P, S, R>>(receiver: F, notDecorating?: undefined): F
  /** Connects the decorated method: per instance for an instance method, once for a static one. */
  <This, M extends Receiver<P, S, R>>(method: M, context: ClassMethodDecoratorContext<This, M>): void
}

/** The payload type a receiver of every signal in a list receives: the union of theirs. */
type PayloadOfEach<Signals extends readonly AnySignal[]> = TypesOfSignal<Signals[number]>['payload']
/** The sender type a receiver of every signal in a list receives: the union of theirs. */
type SenderOfEach<Signals extends readonly AnySignal[]> = TypesOfSignal<Signals[number]>['sender']
/** What a receiver of every signal in a list must return: what each of them requires. */
type ResultOfEach<Signals extends readonly AnySignal[]> = (
  Signals[number] extends infer Each
    ? Each extends { readonly [signalTypes]?: { readonly result: infer R } }
      ? (result: [R]) => void
      : never
    : never
) extends (result: infer Required) => void
  ? Required extends readonly [unknown]
    ? Required[0]
    : unknown
  : unknown

/**
 * What this module needs of a signal: its connect, and its type arguments. Signals are recognised
 * at run time by their brand, so this module never imports the Signal class (which imports it).
 */
interface AnySignal {
  connect(receiver: any, options?: ConnectOptions<any> | ResolvedConnectOptions<any>): unknown
  readonly [signalTypes]?: { readonly payload: any; readonly sender: any; readonly result: any }
}

/**
 * Connects a function or method to one signal or several (Django's `@receiver`): as a call on a
 * function, or as a TC39 standard method decorator.
 *
 * @remarks
 * `receiver(signal, options)(fn)` is `signal.connect(fn, options)` that returns `fn`; with an array
 * of signals it connects `fn` to each, in order. As a method decorator it behaves as described for
 * {@link ReceiverDecorator}: per instance, with the instance as `owner`, or once for a static
 * method. Decorators stack, so one method may listen to several signals or senders. A receiver of
 * several signals receives the union of their payload and sender types, and must return what each
 * of them requires.
 *
 * @param signalOrSignals - A signal, or a non-empty array of signals.
 * @param options - {@link ConnectOptions} for every connection (`sender` included). `owner` is not
 *   accepted on methods: the instance (or class) is their owner.
 * @throws TypeError at once for something that is not a signal or an array of them, an empty array
 *   or a bad option; when the decorator gets a non-function; when it decorates anything but a
 *   method, or a method with an `owner` option.
 *
 * @example
 * ```ts
 * import { receiver, signal } from 'signalry'
 *
 * const started = signal<{ port: number }>('server.started')
 * const stopped = signal<{ port: number }>('server.stopped')
 *
 * class Monitor {
 *   events: string[] = []
 *
 *   @receiver([started, stopped])
 *   track(_: unknown, { port }: { port: number }) {
 *     this.events.push(`port ${port}`)
 *   }
 *
 *   @receiver(started, { sender: 'admin' })
 *   @receiver(stopped, { sender: 'admin' })
 *   audit(sender: unknown) {
 *     this.events.push(`by ${String(sender)}`)
 *   }
 * }
 *
 * const monitor = new Monitor()
 * started.send('admin', { port: 80 })
 * stopped.send('cron', { port: 80 })
 * console.log(monitor.events) // Prints: [ 'port 80', 'by admin', 'port 80' ]
 *
 * const logStart = receiver(started)((_, { port }) => console.log('listening on', port))
 * started.send('cron', { port: 443 }) // Prints: listening on 443
 * ```
 */
export function receiver<Sig extends AnySignal>(
  signalOrSignals: Sig,
  options?: ConnectOptions<TypesOfSignal<Sig>['sender']>,
): ReceiverDecorator<TypesOfSignal<Sig>['payload'], TypesOfSignal<Sig>['sender'], TypesOfSignal<Sig>['result']>
export function receiver<const Signals extends readonly [AnySignal, ...AnySignal[]]>(
  signalOrSignals: Signals,
  options?: ConnectOptions<SenderOfEach<Signals>>,
): ReceiverDecorator<PayloadOfEach<Signals>, SenderOfEach<Signals>, ResultOfEach<Signals>>
export function receiver(signalOrSignals: AnySignal | readonly AnySignal[], options?: ConnectOptions<unknown>): ReceiverDecorator<any, any, any> {
  const signals: AnySignal[] = Array.isArray(signalOrSignals) ? [...signalOrSignals] : [signalOrSignals as AnySignal]
  if (signals.length === 0) {
    throw new TypeError('receiver() expects a signal or a non-empty array of signals, got an empty array')
  }
  for (const each of signals) {
    if (!hasBrand(each, SIGNAL_BRAND)) throw invalidArgument('receiver', 'a signal or an array of signals', each)
  }
  const resolved = resolveConnectOptions('receiver', options)
  return connectorFor('receiver', signals, passOn(resolved), options !== undefined && 'owner' in options)
}

/**
 * The function {@link Signal.connectVia} and {@link receiver} return. `options` are resolved
 * already (validated once, by the caller); they are passed to `connect` as they are.
 *
 * @internal
 */
export function connectorFor(
  method: string,
  signals: readonly AnySignal[],
  options: ResolvedConnectOptions<unknown>,
  ownerGiven = false,
): ReceiverDecorator<any, any, any> {
  return function connect(target: unknown, context?: unknown): unknown {
    if (isDecoratorContext(context)) {
      decorateMethod(method, signals, options, ownerGiven, target, context)
      return undefined
    }
    assertConnectableReceiver(method, target)
    for (const each of signals) each.connect(target as Receiver<unknown, unknown>, options)
    return target
  } as ReceiverDecorator<any, any, any>
}

interface DecoratorContext {
  readonly kind: string
  readonly name: string | symbol
  readonly static?: boolean
  addInitializer(initializer: (this: unknown) => void): void
}

/**
 * Whether the second argument is a decorator context rather than, say, the index `Array#map` passes
 * to its callback (`functions.map(sig.connectVia())` keeps working).
 */
function isDecoratorContext(value: unknown): value is DecoratorContext {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<DecoratorContext>).kind === 'string' &&
    typeof (value as Partial<DecoratorContext>).addInitializer === 'function'
  )
}

function decorateMethod(
  method: string,
  signals: readonly AnySignal[],
  options: ResolvedConnectOptions<unknown>,
  ownerGiven: boolean,
  value: unknown,
  context: DecoratorContext,
): void {
  const name = typeof context.name === 'symbol' ? String(context.name) : context.name
  if (context.kind !== 'method') {
    throw new TypeError(
      `${method}() decorates methods, not the ${context.kind} ${name}; connect a function with ${method}(...)(fn) instead`,
    )
  }
  assertConnectableReceiver(method, value)
  if (ownerGiven || options.owner !== undefined) {
    throw new TypeError(
      `${method}() on method ${name} takes no option "owner": the instance (the class, for a static method) is the owner`,
    )
  }
  // Runs for each new instance (with `this` the instance), or once at class definition for a static
  // method (with `this` the class).
  context.addInitializer(function connectForOwner(this: unknown) {
    const owner = this as object
    const bound = boundMethod(owner, value)
    for (const each of signals) each.connect(bound, { ...options, owner } as ConnectOptions<unknown>)
  })
}

/**
 * One bound function per owner and method, so that stacked decorators connect the same receiver
 * (and a signal reached twice keeps one connection). Keyed weakly by owner: the cache never keeps
 * an instance alive.
 */
const boundMethods = new WeakMap<object, Map<Function, Receiver<unknown, unknown>>>()

function boundMethod(owner: object, method: (...args: never[]) => unknown): Receiver<unknown, unknown> {
  let methods = boundMethods.get(owner)
  if (methods === undefined) boundMethods.set(owner, (methods = new Map()))
  let bound = methods.get(method)
  if (bound === undefined) methods.set(method, (bound = method.bind(owner) as Receiver<unknown, unknown>))
  return bound
}
