// Muting for tests: silence a signal, a list of them or a whole namespace, optionally letting one
// recorder or receiver through. The signals keep their own mute state; these only ask them
// (`muted()`, `mutedExcept()`) and end what they started.
import { Namespace, type Signal } from 'signalry'
import { mutedExcept } from '../mutes'
import { runScoped, scopeHandle } from '../scope'
import { disposeSymbol } from '../shared/dispose'
import { invalidArgument } from '../shared/validate'
import { isRecorder, type Recorder } from './recorder'
import type { AnySignal } from './signalLike'

/**
 * What {@link isolate} and {@link muteAll} act on: one signal, several, or every signal of a
 * namespace (a `Namespace` is an iterable of its signals; it is recognised and followed as it grows).
 *
 * @example
 * ```ts
 * import { Namespace, Signal } from 'signalry'
 * import { muteAll, type SignalsTarget } from 'signalry/testing'
 *
 * const targets: SignalsTarget[] = [new Signal(), [new Signal(), new Signal()], new Namespace()]
 * for (const target of targets) muteAll(target, () => {})
 * console.log(targets.length) // Prints: 3
 * ```
 */
export type SignalsTarget = AnySignal | Iterable<AnySignal>

/**
 * Who still hears under {@link isolate}: a {@link Recorder}, or any receiver function.
 *
 * @example
 * ```ts
 * import { Signal } from 'signalry'
 * import { type Hearer, isolate } from 'signalry/testing'
 *
 * const saved = new Signal<number>()
 * const log: Hearer = (_sender: unknown, id: number) => console.log('heard', id)
 * saved.connect(log as (sender: unknown, id: number) => void)
 * isolate(saved, log, () => saved.send(undefined, 1)) // Prints: heard 1
 * ```
 */
export type Hearer = Recorder<any, any> | ((sender: any, payload: any) => unknown)

/**
 * Mutes every signal of `target` (each through `mute`) until the returned Disposable is disposed. A
 * namespace's signals created meanwhile are muted too, from their creation.
 */
function muteEach(
  method: string,
  target: SignalsTarget,
  mute: (signal: Signal<any, any, any>) => Disposable,
): Disposable {
  const handles: Disposable[] = []
  const end = (): void => {
    // Latest first, so that nested mutes of one signal end in the reverse order they began.
    for (let i = handles.length - 1; i >= 0; i--) handles[i]?.[disposeSymbol]()
  }
  try {
    if (target instanceof Namespace) {
      handles.push(
        target.signalCreated.connectedTo((_, created) =>
          handles.push(mute(created as unknown as Signal<any, any, any>)),
        ),
      )
      for (const signal of target as unknown as Iterable<Signal<any, any, any>>) handles.push(mute(signal))
    } else if (isSignal(target)) {
      handles.push(mute(target))
    } else if (target !== null && typeof target === 'object' && Symbol.iterator in target) {
      for (const signal of target) {
        if (!isSignal(signal)) throw invalidArgument(method, 'signals only in the list', signal)
        handles.push(mute(signal))
      }
    } else {
      throw invalidArgument(method, 'a signal, an iterable of signals or a namespace', target)
    }
  } catch (error) {
    end()
    throw error
  }
  return scopeHandle(end)
}

function isSignal(value: unknown): value is Signal<any, any, any> {
  return (
    typeof (value as { muted?: unknown; connect?: unknown } | null)?.muted === 'function' &&
    typeof (value as { connect?: unknown }).connect === 'function'
  )
}

function assertScopeBody(method: string, hasBody: boolean, body: unknown): void {
  if (hasBody && typeof body !== 'function') throw invalidArgument(method, 'a function as body', body)
}

function scoped(handle: Disposable, hasBody: boolean, body: unknown): unknown {
  return hasBody ? runScoped(body as () => unknown, () => handle[disposeSymbol]()) : handle
}

/**
 * Silences every receiver of `target` except `hearer`: a recorder (or receiver) observes a signal,
 * or a whole namespace, while the application's own receivers stay quiet (factory_boy's
 * `mute_signals` with a spy still listening).
 *
 * @remarks
 * Without `body`, returns a Disposable (for `using`) that ends the isolation; with `body`, runs it
 * and always ends the isolation afterwards: when it returns, throws, or, for an async body, when its
 * promise settles. Isolations nest: each one's hearer still hears inside the other; a plain
 * `muted()` in force silences everybody, the hearer too. Built on {@link mutedExcept}.
 *
 * @param target - A signal, several, or a namespace (its signals created during the isolation included).
 * @param hearer - The {@link Recorder} or receiver that still hears.
 * @throws TypeError for a bad target, hearer or body; nothing is muted then.
 *
 * @example
 * ```ts
 * import { Namespace } from 'signalry'
 * import { isolate, record } from 'signalry/testing'
 *
 * const shop = new Namespace()
 * const paid = shop.signal('order.paid')
 * paid.connect(() => console.log('email sent to the customer'))
 * using payments = record(paid)
 * isolate(shop, payments, () => paid.send('checkout', { total: 42 })) // prints nothing
 * console.log(payments.count) // Prints: 1
 * paid.send('checkout') // Prints: email sent to the customer
 * ```
 */
export function isolate(target: SignalsTarget, hearer: Hearer): Disposable
export function isolate<T>(target: SignalsTarget, hearer: Hearer, body: () => T): T
export function isolate(target: SignalsTarget, hearer: Hearer, body?: unknown): unknown {
  const receiver = isRecorder(hearer) ? hearer.receiver : hearer
  if (typeof receiver !== 'function')
    throw invalidArgument('isolate', 'a recorder or a receiver function as hearer', hearer)
  assertScopeBody('isolate', arguments.length > 2, body)
  const handle = muteEach('isolate', target, (signal) => mutedExcept(signal, [receiver]))
  return scoped(handle, arguments.length > 2, body)
}

/**
 * Mutes every signal of `target` (factory_boy's `mute_signals`): one signal, several, or every signal
 * of a namespace, including those it creates while muted.
 *
 * @remarks
 * Scoped like {@link isolate}: a Disposable without `body`, the body's result with it, always unmuted
 * afterwards. Each signal's own `muted()` does the muting, so mutes nest as they do there.
 *
 * @param target - A signal, several, or a namespace.
 * @throws TypeError for a bad target or body; nothing is muted then.
 *
 * @example
 * ```ts
 * import { Namespace } from 'signalry'
 * import { muteAll } from 'signalry/testing'
 *
 * const shop = new Namespace()
 * shop.signal('order.paid').connect(() => console.log('paid'))
 * {
 *   using _quiet = muteAll(shop)
 *   shop.signal('order.paid').send() // prints nothing
 * }
 * shop.signal('order.paid').send() // Prints: paid
 * ```
 */
export function muteAll(target: SignalsTarget): Disposable
export function muteAll<T>(target: SignalsTarget, body: () => T): T
export function muteAll(target: SignalsTarget, body?: unknown): unknown {
  assertScopeBody('muteAll', arguments.length > 1, body)
  const handle = muteEach('muteAll', target, (signal) => signal.muted())
  return scoped(handle, arguments.length > 1, body)
}

/**
 * Wraps `fn` so that each call runs with `target` muted, as `muteAll(target, () => fn(...args))`:
 * the form of blinker's `@signal.muted()` decorator. `this` and the arguments pass through, and an
 * async `fn` keeps the mute until its promise settles.
 *
 * @param target - A signal, several, or a namespace, as for {@link muteAll}.
 * @param fn - The function to wrap.
 * @returns A function with `fn`'s parameters, `this` and result.
 * @throws TypeError when `fn` is not a function (at once), or for a bad target (at each call).
 *
 * @example
 * ```ts
 * import { Signal } from 'signalry'
 * import { mutedFn } from 'signalry/testing'
 *
 * const saved = new Signal<string>()
 * saved.connect((_, id) => console.log('indexed', id))
 * const importQuietly = mutedFn(saved, (ids: string[]) => {
 *   for (const id of ids) saved.send(undefined, id)
 *   return ids.length
 * })
 * console.log(importQuietly(['a', 'b'])) // Prints: 2
 * saved.send(undefined, 'c') // Prints: indexed c
 * ```
 */
export function mutedFn<A extends unknown[], T, This = unknown>(
  target: SignalsTarget,
  fn: (this: This, ...args: A) => T,
): (this: This, ...args: A) => T {
  if (typeof fn !== 'function') throw invalidArgument('mutedFn', 'a function to wrap', fn)
  return function (this: This, ...args: A): T {
    return muteAll(target, () => fn.apply(this, args))
  }
}
