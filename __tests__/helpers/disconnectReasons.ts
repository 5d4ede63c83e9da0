// What a signal's receiverDisconnected reports, for tests of how connections end.
import type { DisconnectInfo, Signal } from 'signalry'

/** Records every receiverDisconnected reason of `sig`, in order. */
export function reasonsOf(sig: Signal<any, any, any>): Array<DisconnectInfo['reason']> {
  const reasons: Array<DisconnectInfo['reason']> = []
  sig.receiverDisconnected.connect((_, { reason }) => void reasons.push(reason))
  return reasons
}
