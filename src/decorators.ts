// Connecting receivers where they are declared: `sig.connectVia(sender)` and `receiver(signals)`,
// each usable as a call on a function and as a TC39 standard method decorator.

import { type ConnectOptions, passOn, type ResolvedConnectOptions, resolveConnectOptions } from './options'
import { hasBrand, SIGNAL_BRAND } from './shared/brands'
import { functionLabel } from './shared/describe'
import { isClass } from './shared/guards'
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
  /**
   * The same under TypeScript's `experimentalDecorators`: a static method connects at once; an
   * instance method is connected by each instance through {@link connectReceivers}.
   */
  <M extends Receiver<P, S, R>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<M>,
  ): void
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
): ReceiverDecorator<
  TypesOfSignal<Sig>['payload'],
  TypesOfSignal<Sig>['sender'],
  TypesOfSignal<Sig>['result']
>
export function receiver<const Signals extends readonly [AnySignal, ...AnySignal[]]>(
  signalOrSignals: Signals,
  options?: ConnectOptions<SenderOfEach<Signals>>,
): ReceiverDecorator<PayloadOfEach<Signals>, SenderOfEach<Signals>, ResultOfEach<Signals>>
export function receiver(
  signalOrSignals: AnySignal | readonly AnySignal[],
  options?: ConnectOptions<unknown>,
): ReceiverDecorator<any, any, any> {
  const signals: AnySignal[] = Array.isArray(signalOrSignals)
    ? [...signalOrSignals]
    : [signalOrSignals as AnySignal]
  if (signals.length === 0) {
    throw new TypeError('receiver() expects a signal or a non-empty array of signals, got an empty array')
  }
  for (const each of signals) {
    if (!hasBrand(each, SIGNAL_BRAND))
      throw invalidArgument('receiver', 'a signal or an array of signals', each)
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
  return function connect(target: unknown, context?: unknown, descriptor?: unknown): unknown {
    if (isDecoratorContext(context)) {
      decorateMethod(method, signals, options, ownerGiven, target, context)
      return undefined
    }
    if (arguments.length === 3 && isLegacyMethodDecoration(target, context, descriptor)) {
      decorateLegacyMethod(
        method,
        signals,
        options,
        ownerGiven,
        target as object,
        context as string | symbol,
        descriptor,
      )
      return undefined
    }
    if (isClass(target)) {
      throw new TypeError(
        `${method}() expects a function as receiver, got class ${functionLabel(target)}: decorate its methods instead ` +
          '(with experimentalDecorators, instances connect them through @connectReceivers on the class or connectReceivers(this))',
      )
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

// ---------------------------------------------------------------------------------------------
// Legacy decorators (TypeScript's `experimentalDecorators`: NestJS, Angular, TypeORM projects)

/**
 * Whether a decorator was called the legacy way, `(target, key, descriptor)`, on a method: target
 * is the prototype (an instance method) or the class (a static one). `Array#map` and `forEach` also
 * pass three arguments, but their second is a number.
 */
function isLegacyMethodDecoration(
  target: unknown,
  key: unknown,
  descriptor: unknown,
): descriptor is PropertyDescriptor {
  return (
    (typeof key === 'string' || typeof key === 'symbol') &&
    ((typeof target === 'object' && target !== null) || typeof target === 'function') &&
    typeof descriptor === 'object' &&
    descriptor !== null &&
    ('value' in descriptor || 'get' in descriptor || 'set' in descriptor)
  )
}

/** A method decorated the legacy way, waiting for each instance to connect it. */
interface LegacyReceiver {
  readonly signals: readonly AnySignal[]
  readonly options: ResolvedConnectOptions<unknown>
  readonly method: (...args: never[]) => unknown
}

/** The legacy-decorated instance methods declared on each prototype (a class's own, not inherited ones). */
const legacyReceivers = new WeakMap<object, LegacyReceiver[]>()

function decorateLegacyMethod(
  method: string,
  signals: readonly AnySignal[],
  options: ResolvedConnectOptions<unknown>,
  ownerGiven: boolean,
  target: object,
  key: string | symbol,
  descriptor: PropertyDescriptor,
): void {
  const name = typeof key === 'symbol' ? String(key) : key
  const value: unknown = descriptor.value
  if (typeof value !== 'function') {
    const kind = 'get' in descriptor || 'set' in descriptor ? 'accessor' : 'property'
    throw new TypeError(
      `${method}() decorates methods, not the ${kind} ${name}; connect a function with ${method}(...)(fn) instead`,
    )
  }
  assertConnectableReceiver(method, value)
  if (ownerGiven || options.owner !== undefined) {
    throw new TypeError(
      `${method}() on method ${name} takes no option "owner": the instance (the class, for a static method) is the owner`,
    )
  }
  if (typeof target === 'function') {
    // A static method: connected now, while the class is being defined, with the class as owner.
    const bound = boundMethod(target, value as (...args: never[]) => unknown)
    for (const each of signals) each.connect(bound, { ...options, owner: target } as ConnectOptions<unknown>)
    return
  }
  // An instance method: legacy decorators cannot run code per instance, so each instance connects
  // its methods through @connectReceivers on the class or connectReceivers(this) in its constructor.
  let declared = legacyReceivers.get(target)
  if (declared === undefined) legacyReceivers.set(target, (declared = []))
  declared.push({ signals, options, method: value as (...args: never[]) => unknown })
}

/**
 * Connects the receivers an instance declares with legacy decorators (`experimentalDecorators`):
 * call `connectReceivers(this)` in the constructor, or put `@connectReceivers` on the class.
 *
 * @remarks
 * Under TypeScript's `experimentalDecorators` (NestJS, Angular, TypeORM projects), a method
 * decorator runs once, when the class is defined, and cannot run code for each instance. So
 * `@receiver(…)` and `@sig.connectVia(…)` on an instance method only record the method, and each
 * instance connects its recorded methods (of its class and every base class) when it calls
 * `connectReceivers(this)`, or when its class is decorated with `@connectReceivers` (which
 * returns a subclass whose constructor calls it after the original constructor has run). Each
 * method is connected bound to the instance, with the instance as its `owner`, exactly as the
 * standard decorators do: the connections end when the instance is collected or passed to
 * {@link disconnectOwner}. Calling it again for the same instance changes nothing. Static methods
 * need neither: they connect when the class is defined, with the class as owner.
 *
 * With standard decorators (no `experimentalDecorators`), instances connect by themselves and
 * `connectReceivers(this)` finds nothing to do.
 *
 * @param instanceOrClass - The instance (`this` in a constructor), or the class when used as a class decorator.
 * @param context - The class decorator context, when standard decorators call it (unused).
 * @returns For a class, the subclass that connects its instances; for an instance, the instance.
 * @throws TypeError for anything but an object or a class.
 *
 * @example
 * ```ts
 * import { connectReceivers, receiver, signal } from 'signalry'
 *
 * const orderPlaced = signal<{ id: number }>('legacy-example.order-placed')
 *
 * // What TypeScript emits for `@receiver(orderPlaced)` on `notify` with experimentalDecorators: the
 * // decorator gets (prototype, key, descriptor). Written out so that this example runs either way.
 * class Mailer {
 *   sent: number[] = []
 *   constructor() {
 *     connectReceivers(this)
 *   }
 *   notify(_: unknown, { id }: { id: number }) {
 *     this.sent.push(id)
 *   }
 * }
 * const key = 'notify'
 * receiver(orderPlaced)(Mailer.prototype, key, Object.getOwnPropertyDescriptor(Mailer.prototype, key)!)
 *
 * const mailer = new Mailer()
 * orderPlaced.send('shop', { id: 1 })
 * console.log(mailer.sent) // Prints: [ 1 ]
 * ```
 */
export function connectReceivers<T extends abstract new (...args: any[]) => object>(
  instanceOrClass: T,
  context?: ClassDecoratorContext,
): T
export function connectReceivers<T extends object>(instanceOrClass: T): T
export function connectReceivers(instanceOrClass: object, _context?: unknown): object {
  if (isClass(instanceOrClass)) {
    const base = instanceOrClass as unknown as new (...args: unknown[]) => object
    const connecting = {
      // A computed name keeps the class's name (stack traces, NestJS's tokens and logs).
      [base.name]: class extends base {
        constructor(...args: unknown[]) {
          super(...args)
          connectReceivers(this)
        }
      },
    }[base.name] as typeof base
    return connecting
  }
  if (
    (typeof instanceOrClass !== 'object' && typeof instanceOrClass !== 'function') ||
    instanceOrClass === null
  ) {
    throw invalidArgument('connectReceivers', 'an instance (this) or a class', instanceOrClass)
  }
  for (
    let proto = Object.getPrototypeOf(instanceOrClass);
    proto !== null;
    proto = Object.getPrototypeOf(proto)
  ) {
    const declared = legacyReceivers.get(proto)
    if (declared === undefined) continue
    for (const { signals, options, method } of declared) {
      const bound = boundMethod(instanceOrClass, method)
      for (const each of signals)
        each.connect(bound, { ...options, owner: instanceOrClass } as ConnectOptions<unknown>)
    }
  }
  return instanceOrClass
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
