export { ANY, type Any } from './any'
export { AsyncReceiverError, SendDepthError } from './errors'
export { disconnectOwner } from './lifetimes'
export { NamedSignal } from './namedSignal'
export { defaultNamespace, Namespace, signal } from './namespace'
export type { ConnectOptions, DisconnectOptions, ResolvedConnectOptions } from './options'
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
