export { ANY, type Any } from './any'
export type { Concurrency, SendAsyncOptions } from './async'
export { type ReceiverDecorator, receiver } from './decorators'
export { AsyncReceiverError, SendDepthError } from './errors'
export { type EventIterator, type EventsOptions, EventsOverflowError, type NextOptions, type Overflow } from './events'
export { disconnectOwner } from './lifetimes'
export { NamedSignal } from './namedSignal'
export { defaultNamespace, Namespace, signal } from './namespace'
export type { ConnectOptions, DisconnectOptions, ResolvedConnectOptions } from './options'
export type { SignalOf, SignalTypes } from './registry'
export { Signal } from './signal'
export type {
  AsyncRobustSendResult,
  AsyncSendResult,
  ConnectInfo,
  Connection,
  DisconnectInfo,
  DisconnectReason,
  Outcome,
  Receiver,
  RobustSendResult,
  SendArguments,
  SendResult,
} from './types'
