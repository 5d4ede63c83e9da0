export { ANY, type Any } from './any'
export { AsyncReceiverError, SendDepthError } from './errors'
export { NamedSignal } from './namedSignal'
export { defaultNamespace, Namespace, signal } from './namespace'
export type { ConnectOptions, DisconnectOptions, ResolvedConnectOptions } from './options'
export {
  type ConnectInfo,
  type Connection,
  type DisconnectInfo,
  type DisconnectReason,
  type Outcome,
  type Receiver,
  type RobustSendResult,
  type SendArguments,
  type SendResult,
  Signal,
} from './signal'
