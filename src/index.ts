export { ANY, type Any } from './any'
export { type ReceiverDecorator, receiver } from './decorators'
export { AsyncReceiverError, SendDepthError } from './errors'
export { NamedSignal } from './namedSignal'
export { defaultNamespace, Namespace, signal } from './namespace'
export type { ConnectOptions, DisconnectOptions, ResolvedConnectOptions } from './options'
export type { SignalOf, SignalTypes } from './registry'
export { Signal } from './signal'
export type {
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
