// `signalry/bridge`: bridge named signals across processes over a transport.
export { Bridge, bridge, type BridgeError, type BridgeOptions, type BridgeStats } from '../bridge/bridge'
export { type BridgeCodec, type BridgeErrorReason, type Envelope, jsonCodec } from '../bridge/envelope'
export type { BridgeTransport, TransportLink } from '../bridge/transport'
