// State that must be one per process, even when several copies of the library are loaded (the ESM
// and the CJS build side by side, or two installed copies of the same major version): it lives on
// `globalThis` under a registered symbol whose name carries the protocol version.

/** @internal */
interface ProcessState {
  /** Bumped when the shape of this object changes incompatibly; part of the key too. */
  readonly protocol: 1
  /** The default namespace, created by whichever copy of the library asks first. */
  defaultNamespace: unknown
  /** Sends may nest at most this deep. */
  maxSendDepth: number
  /** `Signal.defaultMaxReceivers` once set (absent: the default); added after protocol 1 shipped. */
  defaultMaxReceivers?: number
  /** How many sends are running, outermost to innermost. */
  depth: number
  /** The signals being sent, outermost first; slots past `depth` are cleared. */
  readonly sending: unknown[]
  /** True while a send is being published on `signalry:send` (src/diagnostics.ts); added after protocol 1 shipped. */
  publishingSend?: boolean
  /** Owners of owner-scoped connections (src/engine/connections.ts); created on first use. */
  owners?: WeakMap<object, unknown>
}

const PROCESS_STATE_KEY = Symbol.for('signalry.processState@1')

type GlobalWithState = typeof globalThis & { [PROCESS_STATE_KEY]?: ProcessState }

function processStateOf(global: GlobalWithState): ProcessState {
  const existing = global[PROCESS_STATE_KEY]
  if (existing !== undefined && existing.protocol === 1) return existing
  const created: ProcessState = {
    protocol: 1,
    defaultNamespace: undefined,
    maxSendDepth: 100,
    depth: 0,
    // Preallocated: a send then stores into an existing slot, which is several times cheaper than
    // growing the array (a hot-path cost). Deeper nesting still works; the array grows then.
    sending: new Array<unknown>(128).fill(undefined),
  }
  Object.defineProperty(global, PROCESS_STATE_KEY, { value: created, configurable: true })
  return created
}

/** @internal The one state of this process. */
export const processState: ProcessState = /*#__PURE__*/ processStateOf(globalThis as GlobalWithState)
