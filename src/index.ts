export type { Concurrency, SendAsyncOptions } from './async'
export { connectReceivers, type ReceiverDecorator, receiver } from './decorators'
export { disconnectOwner } from './engine/lifetimes'
export {
  type EventIterator,
  type EventsOptions,
  EventsOverflowError,
  type NextOptions,
  type Overflow,
} from './events'
export {
  NamedSignal,
  type NamedSignalConstructor,
  type ReceiverErrorDiagnostic,
  type SendDiagnostic,
  type SendTraceContext,
} from './namedSignal'
export {
  connectedToMatching,
  connectMatching,
  defaultNamespace,
  Namespace,
  type SignalInspection,
  signal,
} from './namespace'
export type { ConnectOptions, DisconnectOptions, KeyedDisconnect, ResolvedConnectOptions } from './options'
export type {
  MatchingNames,
  PatternArguments,
  PatternConnection,
  PatternConnectOptions,
  PatternReceiver,
  PatternResult,
  PatternSender,
} from './patterns'
export type { SignalOf, SignalTypes } from './registry'
export { ANY, type Any } from './shared/any'
export { AsyncReceiverError, SendDepthError } from './shared/errors'
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
  SyncSendArguments,
} from './types'
