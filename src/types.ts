// The public types of sends and connections, shared by Signal and its users.

import type { DisconnectReason } from './engine/connections'
import type { ANY } from './shared/any'
import type { ResolvedConnectOptions } from './options'

export type { DisconnectReason }

/**
 * The key of a type-level-only member of {@link Signal} that carries its type arguments, so that
 * type utilities read them by indexed access instead of inferring them structurally (which is very
 * slow for a class that refers to itself, like Signal through its meta-signals).
 *
 * @internal
 */
export declare const signalTypes: unique symbol

/**
 * The type arguments of a signal type, read through {@link signalTypes}.
 *
 * @internal
 */
export type TypesOfSignal<Sig> = Sig extends { readonly [signalTypes]?: infer Types }
  ? NonNullable<Types>
  : never

/**
 * A function connected to a signal: called as `receiver(sender, payload)` on each matching send.
 *
 * @typeParam P - The payload type.
 * @typeParam S - The sender type.
 * @typeParam R - What the receiver returns; {@link Signal.send} collects it.
 *
 * @example
 * ```ts
 * import { type Receiver, Signal } from 'signalry'
 *
 * const saved = new Signal<{ id: number }, string>()
 * const logSave: Receiver<{ id: number }, string> = (table, { id }) => console.log(`${table} #${id}`)
 * saved.connect(logSave)
 * saved.send('users', { id: 3 }) // Prints: users #3
 * ```
 */
export type Receiver<P = void, S = unknown, R = unknown> = (sender: S, payload: P) => R

/**
 * The arguments of {@link Signal.send}, {@link Signal.emit} and {@link Signal.sendRobust}: a sender
 * and a payload. The payload may be left out when it accepts `undefined` (`void` included), and then
 * the sender too when it accepts `undefined`.
 *
 * @example
 * ```ts
 * import { type SendArguments, Signal } from 'signalry'
 *
 * const required: SendArguments<{ id: number }, string> = ['users', { id: 1 }]
 * const optional: SendArguments<void, unknown> = []
 * new Signal<{ id: number }, string>().send(...required)
 * new Signal().send(...optional)
 * console.log(required.length, optional.length) // Prints: 2 0
 * ```
 */
export type SendArguments<P, S> = undefined extends P
  ? undefined extends S
    ? [sender?: S | typeof ANY, payload?: P]
    : [sender: S | typeof ANY, payload?: P]
  : [sender: S | typeof ANY, payload: P]

/**
 * The arguments of the synchronous sends ({@link Signal.send}, {@link Signal.emit},
 * {@link Signal.sendRobust}): {@link SendArguments}, unless the signal is declared async — its
 * receivers' result type `R` is a promise — in which case no arguments fit and every synchronous
 * send is a type error: the signal's receivers are awaited with {@link Signal.sendAsync}.
 *
 * @example
 * ```ts
 * import { Signal } from 'signalry'
 *
 * const uploaded = new Signal<string, unknown, Promise<void>>('An async signal: receivers return promises.')
 * uploaded.connect(async (_, file) => console.log('stored', file))
 * // @ts-expect-error send() would not await the receivers: use sendAsync()
 * const forgotten = () => uploaded.send(undefined, 'a.png')
 * await uploaded.sendAsync(undefined, 'b.png') // Prints: stored b.png
 * ```
 */
export type SyncSendArguments<P, S, R> = 0 extends 1 & R
  ? SendArguments<P, S>
  : [R] extends [never]
    ? SendArguments<P, S>
    : [R] extends [PromiseLike<unknown>]
      ? [asyncSignalUseSendAsync: never]
      : SendArguments<P, S>

/**
 * What {@link Signal.send} returns: each receiver it called, with what it returned, in call order.
 *
 * @remarks
 * `R` is the signal's receiver result type (its third type parameter): `unknown` unless the signal
 * declares it, in which case every receiver must return an `R` and the results are typed.
 *
 * @typeParam P - The payload type.
 * @typeParam S - The sender type.
 * @typeParam R - What the receivers return.
 *
 * @example
 * ```ts
 * import { type SendResult, Signal } from 'signalry'
 *
 * const validate = new Signal<string, unknown, boolean>()
 * validate.connect((_, name) => name.length > 0)
 * const results: SendResult<string, unknown, boolean> = validate.send(undefined, 'ada')
 * console.log(results.every(([, ok]) => ok)) // Prints: true
 * ```
 */
export type SendResult<P = void, S = unknown, R = unknown> = Array<[receiver: Receiver<P, S, R>, result: R]>

/**
 * How one receiver's call went, shaped like `PromiseSettledResult` (`Promise.allSettled`).
 *
 * @example
 * ```ts
 * import { type Outcome, Signal } from 'signalry'
 *
 * const check = new Signal()
 * check.connect(() => {
 *   throw new Error('down')
 * })
 * const [[, outcome]] = check.sendRobust() as [[unknown, Outcome]]
 * if (outcome.status === 'rejected') console.log((outcome.reason as Error).message) // Prints: down
 * ```
 */
export type Outcome<T = unknown> = PromiseFulfilledResult<T> | PromiseRejectedResult

/**
 * What {@link Signal.sendRobust} returns: each receiver it called, with its {@link Outcome}, in call order.
 *
 * @typeParam R - What the receivers return: the `value` of a fulfilled outcome.
 *
 * @example
 * ```ts
 * import { type RobustSendResult, Signal } from 'signalry'
 *
 * const check = new Signal()
 * check.connect(function disk() {
 *   throw new Error('full')
 * })
 * check.connect(function network() {
 *   return 'up'
 * })
 * const outcomes: RobustSendResult = check.sendRobust()
 * const failed = outcomes.filter(([, outcome]) => outcome.status === 'rejected').map(([receiver]) => receiver.name)
 * console.log(failed) // Prints: [ 'disk' ]
 * ```
 */
export type RobustSendResult<P = void, S = unknown, R = unknown> = Array<
  [receiver: Receiver<P, S, R>, outcome: Outcome<R>]
>

/**
 * What {@link Signal.sendAsync} resolves to: each receiver it called, with its awaited result, in
 * call order.
 *
 * @typeParam R - What the receivers return (a promise or not); the results are `Awaited<R>`.
 *
 * @example
 * ```ts
 * import { type AsyncSendResult, Signal } from 'signalry'
 *
 * const resize = new Signal<string, unknown, Promise<number>>()
 * resize.connect(async (_, file) => file.length)
 * const results: AsyncSendResult<string, unknown, Promise<number>> = await resize.sendAsync(undefined, 'cat.png')
 * console.log(results[0]?.[1]) // Prints: 7
 * ```
 */
export type AsyncSendResult<P = void, S = unknown, R = unknown> = Array<
  [receiver: Receiver<P, S, R>, result: Awaited<R>]
>

/**
 * What {@link Signal.sendAsyncRobust} resolves to: each receiver it called, with the
 * {@link Outcome} of its awaited result, in call order.
 *
 * @typeParam R - What the receivers return (a promise or not); fulfilled values are `Awaited<R>`.
 *
 * @example
 * ```ts
 * import { type AsyncRobustSendResult, Signal } from 'signalry'
 *
 * const probe = new Signal<void, unknown, Promise<string>>()
 * probe.connect(async () => 'up')
 * const outcomes: AsyncRobustSendResult<void, unknown, Promise<string>> = await probe.sendAsyncRobust()
 * console.log(outcomes.map(([, outcome]) => outcome.status)) // Prints: [ 'fulfilled' ]
 * ```
 */
export type AsyncRobustSendResult<P = void, S = unknown, R = unknown> = Array<
  [receiver: Receiver<P, S, R>, outcome: Outcome<Awaited<R>>]
>

/**
 * A connection made for a scope by {@link Signal.connectedTo}; dispose it (or let `using` do it)
 * to end the scope.
 *
 * @remarks
 * Ending the scope removes only the connection the scope made: if the receiver was already
 * connected for that sender before, that connection stays, and so does one made again by other
 * code after this one was removed.
 *
 * @example
 * ```ts
 * import { type Connection, Signal } from 'signalry'
 *
 * const saved = new Signal()
 * const connection: Connection = saved.connectedTo(() => console.log('saved'))
 * saved.send() // Prints: saved
 * connection[Symbol.dispose]()
 * saved.send() // (nothing: the scope has ended)
 * console.log(connection.connected) // Prints: false
 * ```
 */
export interface Connection extends Disposable {
  /**
   * Removes the connection this scope made. Returns `true` if that removed it, `false` if it was
   * already gone or if the scope made none (the receiver was connected for that sender before).
   */
  disconnect(): boolean
  /** Whether the receiver is connected for the scope's sender right now. */
  readonly connected: boolean
}

/**
 * The payload of {@link Signal.receiverConnected}.
 *
 * @example
 * ```ts
 * import { type ConnectInfo, Signal } from 'signalry'
 *
 * const saved = new Signal<void, string>()
 * saved.receiverConnected.connect((_, info: ConnectInfo<void, string>) => console.log(info.receiver.name, 'for', info.sender))
 * saved.connect(function reindex() {}, { sender: 'orders' }) // Prints: reindex for orders
 * ```
 */
export interface ConnectInfo<P = unknown, S = unknown, R = unknown> {
  /** The receiver that was connected. */
  readonly receiver: Receiver<P, S, R>
  /** The sender it was connected for ({@link ANY} for every sender). */
  readonly sender: S | typeof ANY
  /** The options of the connection, defaults filled in. */
  readonly options: ResolvedConnectOptions<S>
}

/**
 * The payload of {@link Signal.receiverDisconnected}.
 *
 * @example
 * ```ts
 * import { type DisconnectInfo, Signal } from 'signalry'
 *
 * const saved = new Signal()
 * saved.receiverDisconnected.connect((_, info: DisconnectInfo<void>) => console.log(info.receiver?.name, info.reason))
 * const reindex = saved.connect(function reindex() {})
 * saved.disconnect(reindex) // Prints: reindex disconnected
 * ```
 */
export interface DisconnectInfo<P = unknown, S = unknown, R = unknown> {
  /**
   * The receiver that was disconnected; `undefined` when it is gone because it (reason
   * `'collected'`) or its owner (`'owner-collected'`) was garbage-collected.
   */
  readonly receiver: Receiver<P, S, R> | undefined
  /**
   * The sender it had been connected for ({@link ANY} for every sender); `undefined` when the
   * sender object was garbage-collected (reason `'sender-collected'`).
   */
  readonly sender: S | typeof ANY | undefined
  /** Why the connection ended. */
  readonly reason: DisconnectReason
}
