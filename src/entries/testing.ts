// `signalry/testing`: recorders, isolation and muting, resetting and leak checks for tests.
export {
  expectNoLeakedReceivers,
  type LeakBaseline,
  LeakedReceiversError,
  leakBaseline,
  resetSignals,
} from '../testing/leaks'
export {
  type RecordedCall,
  Recorder,
  type RecorderNextOptions,
  type RecordOptions,
  record,
} from '../testing/recorder'
export { mutedExcept } from '../mutes'
export type { AnySignal } from '../testing/signalLike'
export { type Hearer, isolate, muteAll, mutedFn, type SignalsTarget } from '../testing/scopes'
