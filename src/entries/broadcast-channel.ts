// `signalry/broadcast-channel`: a bridge transport over BroadcastChannel.
export { broadcastChannel, type BroadcastChannelOptions } from '../bridge/broadcastChannel'
