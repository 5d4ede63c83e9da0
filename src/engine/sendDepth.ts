// Nested sends (a receiver that sends) are fine; a runaway cycle is not. Every send of every signal
// in the process is counted on one stack, so a cycle is caught with a clear error naming the chain
// of signals instead of a bare stack overflow.

import { signalLabel } from '../shared/describe'
import { SendDepthError } from '../shared/errors'
import { processState } from '../shared/processState'

/** Records that `signal` starts sending; throws a SendDepthError if that is one send too deep. */
export function enterSend(signal: object): void {
  const state = processState
  if (state.depth >= state.maxSendDepth) {
    const chain = state.sending.slice(0, state.depth)
    chain.push(signal)
    const cycleStart = chain.lastIndexOf(signal, -2)
    throw new SendDepthError(state.maxSendDepth, chain.map(signalLabel), cycleStart)
  }
  state.sending[state.depth++] = signal
}

/** Records that the innermost send has ended. */
export function leaveSend(): void {
  const state = processState
  state.sending[--state.depth] = undefined
}
