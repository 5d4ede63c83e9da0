// Runs one random program against the real Signal and against the reference model, and records
// everything observable into a trace: which receivers ran, in what order, with which arguments, what
// every send returned or threw, the meta-signal events, and after every top-level step the counts and
// the per-sender queries. The two traces must be equal.

import { isDeepStrictEqual, inspect } from 'node:util'
import fc from 'fast-check'
import { ANY, disconnectOwner, Signal } from 'signalry'
import { processState } from '../src/shared/processState'
import { ModelSignal } from './referenceModel'

/** How many receivers the programs pick from; the last one is a native async function. */
export const RECEIVER_COUNT = 5
const ASYNC_RECEIVER = RECEIVER_COUNT - 1
const SENDER_LABELS = ['ANY', 'undefined', "'x'", '0', '-0', 'NaN', 'objectA', 'objectB'] as const
const CONTROLLER_COUNT = 2
const OWNER_COUNT = 2
/** Receivers nested deeper than this (a receiver's send calling a receiver …) act no more. */
const MAX_ACTION_DEPTH = 3

export type Action =
  | {
      readonly kind: 'connect'
      readonly receiver: number
      /** Index into the senders, or -1 for no `sender` option (ANY by default). */
      readonly sender: number
      readonly priority: number | undefined
      readonly once: boolean | undefined
      /** Index of an AbortController, or -1 for none. */
      readonly abort: number
      /** Index of an owner object, or -1 for none. */
      readonly owner: number
      readonly weak: boolean | undefined
      readonly via: boolean
      /** A dispatch key, or undefined for none. */
      readonly key: string | undefined
    }
  | { readonly kind: 'disconnectKey'; readonly key: string; readonly sender: number }
  | { readonly kind: 'disconnectOwner'; readonly owner: number }
  | {
      readonly kind: 'sendAsync'
      readonly sender: number
      readonly concurrency: 'serial' | 'concurrent' | undefined
      readonly robust: boolean
    }
  | { readonly kind: 'disconnect'; readonly receiver: number; readonly sender: number }
  | { readonly kind: 'disconnectAll'; readonly sender: number }
  | { readonly kind: 'abort'; readonly controller: number }
  | { readonly kind: 'send' | 'emit' | 'sendRobust'; readonly sender: number }
  | { readonly kind: 'muted'; readonly body: readonly Action[] }
  | { readonly kind: 'mute' }
  | { readonly kind: 'unmute'; readonly handle: number }
  | {
      readonly kind: 'connectedTo'
      readonly receiver: number
      readonly sender: number
      readonly priority: number | undefined
      readonly once: boolean | undefined
      readonly abort: number
      /** A dispatch key, or undefined for none. */
      readonly key: string | undefined
      readonly body: readonly Action[]
    }
  | {
      readonly kind: 'scope'
      readonly receiver: number
      readonly sender: number
      readonly abort: number
      readonly key: string | undefined
    }
  | { readonly kind: 'endScope'; readonly handle: number; readonly how: 'dispose' | 'disconnect' }
  | { readonly kind: 'failNextConnect' | 'failNextDisconnect' }
  | { readonly kind: 'throw' }

export interface Program {
  /** What each receiver does, by call: call n performs `behaviours[receiver][n % length]`. */
  readonly behaviours: ReadonlyArray<ReadonlyArray<readonly Action[]>>
  readonly steps: readonly Action[]
}

const receiverArb = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 0, max: RECEIVER_COUNT - 2 }) },
  { weight: 1, arbitrary: fc.constant(ASYNC_RECEIVER) },
)
// Mostly a few common senders, so that receivers connected for a sender get sends for it.
const senderArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(1, 2, 6) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: SENDER_LABELS.length - 1 }) },
)
// Half of the connects and sends leave the sender out, so that receivers and sends meet often.
const optionalSenderArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant(-1) },
  { weight: 1, arbitrary: senderArb },
)
const priorityArb = fc.option(fc.constantFrom(-1, 0, 0, 1, 2, 0.5, -0, Number.MAX_VALUE, -Number.MAX_VALUE), {
  nil: undefined,
})
const onceArb = fc.option(fc.boolean(), { nil: undefined })
const abortArb = fc.oneof(
  { weight: 2, arbitrary: fc.constant(-1) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: CONTROLLER_COUNT - 1 }) },
)
const handleArb = fc.integer({ min: 0, max: 1 })
// A few keys, so that keyed connects, keyed scopes and disconnect({ key }) meet.
const keyArb = fc.option(fc.constantFrom('k1', 'k2'), { nil: undefined, freq: 3 })

function actionArb(depth: number, inReceiver: boolean): fc.Arbitrary<Action> {
  const body = depth > 0 ? fc.array(actionArb(depth - 1, inReceiver), { maxLength: 3 }) : fc.constant([])
  const arbitraries: Array<fc.WeightedArbitrary<Action>> = [
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant('connect' as const),
        receiver: receiverArb,
        sender: optionalSenderArb,
        priority: priorityArb,
        once: onceArb,
        abort: abortArb,
        owner: fc.oneof(
          { weight: 2, arbitrary: fc.constant(-1) },
          { weight: 1, arbitrary: fc.integer({ min: 0, max: OWNER_COUNT - 1 }) },
        ),
        weak: fc.option(fc.boolean(), { nil: undefined }),
        via: fc.boolean(),
        key: keyArb,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('disconnectKey' as const),
        key: fc.constantFrom('k1', 'k2'),
        sender: optionalSenderArb,
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('disconnect' as const),
        receiver: receiverArb,
        sender: optionalSenderArb,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('disconnectOwner' as const),
        owner: fc.integer({ min: 0, max: OWNER_COUNT - 1 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('disconnectAll' as const), sender: optionalSenderArb }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('abort' as const),
        controller: fc.integer({ min: 0, max: CONTROLLER_COUNT - 1 }),
      }),
    },
    {
      weight: 7,
      arbitrary: fc.record({
        kind: fc.constantFrom('send' as const, 'emit' as const, 'sendRobust' as const),
        sender: optionalSenderArb,
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('muted' as const), body }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('mute' as const) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('unmute' as const), handle: handleArb }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('connectedTo' as const),
        receiver: receiverArb,
        sender: optionalSenderArb,
        priority: priorityArb,
        once: onceArb,
        abort: abortArb,
        key: keyArb,
        body,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('scope' as const),
        receiver: receiverArb,
        sender: optionalSenderArb,
        abort: abortArb,
        key: keyArb,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('endScope' as const),
        handle: handleArb,
        how: fc.constantFrom('dispose' as const, 'disconnect' as const),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constantFrom('failNextConnect' as const, 'failNextDisconnect' as const),
      }),
    },
  ]
  // Async sends run one at a time, as top-level steps: the model does not interleave them.
  if (depth === 2 && !inReceiver) {
    arbitraries.push({
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('sendAsync' as const),
        sender: optionalSenderArb,
        concurrency: fc.constantFrom(undefined, 'serial' as const, 'concurrent' as const),
        robust: fc.boolean(),
      }),
    })
  }
  // A throw at the top level only ends the step; in bodies and receivers it is the fault to inject.
  if (depth < 2 || inReceiver)
    arbitraries.push({
      weight: inReceiver ? 3 : 1,
      arbitrary: fc.record({ kind: fc.constant('throw' as const) }),
    })
  return fc.oneof(...arbitraries)
}

/** Random programs: receiver behaviours (re-entrant actions, throws) and top-level steps. */
export const programArb: fc.Arbitrary<Program> = fc.record({
  behaviours: fc.array(
    fc.array(
      fc.oneof(
        { weight: 3, arbitrary: fc.constant([] as Action[]) },
        { weight: 2, arbitrary: fc.array(actionArb(1, true), { minLength: 1, maxLength: 3 }) },
      ),
      { minLength: 1, maxLength: 3 },
    ),
    { minLength: RECEIVER_COUNT, maxLength: RECEIVER_COUNT },
  ),
  steps: fc.array(actionArb(2, false), { minLength: 1, maxLength: 30 }),
})

/** What the harness needs of a signal; both Signal and ModelSignal have it. */
interface SignalUnderTest {
  connect(receiver: any, options?: any): unknown
  connectVia(sender?: any, options?: any): (receiver: any) => unknown
  connectedTo(receiver: any, options: any, body?: any): any
  disconnect(receiver: any, options?: any): boolean
  disconnectAll(options?: any): number
  send(sender?: any, payload?: any): Array<[unknown, unknown]>
  emit(sender?: any, payload?: any): boolean
  sendRobust(sender?: any, payload?: any): Array<[unknown, PromiseSettledResult<unknown>]>
  sendAsync(sender: any, payload: any, options?: any): Promise<Array<[unknown, unknown]>>
  sendAsyncRobust(
    sender: any,
    payload: any,
    options?: any,
  ): Promise<Array<[unknown, PromiseSettledResult<unknown>]>>
  hasReceiversFor(sender: any): boolean
  receiversFor(sender: any): unknown[]
  muted(body?: any): any
  readonly receiverCount: number
  readonly isMuted: boolean
  readonly receiverConnected: { connect(listener: any): unknown }
  readonly receiverDisconnected: { connect(listener: any): unknown }
}

export type Implementation = 'library' | 'model'

/** An error thrown on purpose by a receiver, a body or a meta receiver; compared by its tag. */
class Planned extends Error {
  constructor(readonly tag: string) {
    super(tag)
  }
}

function describeError(error: unknown): string {
  if (error instanceof Planned) return `planned ${error.tag}`
  if (error instanceof Error) return error.name
  return `non-error ${String(error)}`
}

/** Runs `program` against a fresh real signal or model and returns the trace. */
export async function runProgram(program: Program, implementation: Implementation): Promise<unknown[]> {
  const model = implementation === 'model' ? new ModelSignal() : undefined
  const sig: SignalUnderTest =
    model === undefined
      ? (new Signal<any, any>() as unknown as SignalUnderTest)
      : (model as unknown as SignalUnderTest)
  const endOwner = (owner: object): number =>
    model === undefined ? disconnectOwner(owner) : model.disconnectOwner(owner)
  const owners = Array.from({ length: OWNER_COUNT }, (_, index) => ({ owner: index }))
  const trace: unknown[] = []
  const senders: unknown[] = [ANY, undefined, 'x', 0, -0, Number.NaN, { name: 'A' }, { name: 'B' }]
  const controllers = Array.from({ length: CONTROLLER_COUNT }, () => new AbortController())
  const muteHandles: Disposable[] = []
  const scopeHandles: Array<{ connected: boolean; disconnect(): boolean } & Disposable> = []
  const calls = new Array<number>(RECEIVER_COUNT).fill(0)
  let depth = 0
  let payloads = 0
  let failNextConnect = false
  let failNextDisconnect = false

  const senderLabel = (sender: unknown): string => {
    const index = senders.findIndex((candidate) => Object.is(candidate, sender))
    return index < 0 ? `unknown ${String(sender)}` : (SENDER_LABELS[index] as string)
  }
  const receivers: Array<(sender: unknown, payload: unknown) => unknown> = []
  const receiverLabel = (receiver: unknown): string => {
    const index = receivers.indexOf(receiver as (sender: unknown, payload: unknown) => unknown)
    return index < 0 ? 'unknown receiver' : `r${index}`
  }

  const behave = (index: number, sender: unknown, payload: unknown): unknown => {
    const call = calls[index] as number
    calls[index] = call + 1
    trace.push(['call', `r${index}`, senderLabel(sender), payload, depth])
    const behaviours = program.behaviours[index] as ReadonlyArray<readonly Action[]>
    const actions = behaviours[call % behaviours.length] as readonly Action[]
    if (depth < MAX_ACTION_DEPTH) {
      depth++
      try {
        for (const action of actions) perform(action, `r${index}#${call}`)
      } finally {
        depth--
      }
    }
    return `r${index}:${String(payload)}`
  }
  for (let index = 0; index < ASYNC_RECEIVER; index++)
    receivers.push((sender, payload) => behave(index, sender, payload))
  // The last receiver is a native async function: sync sends must refuse to call it, async ones
  // await it (its synchronous part acts like the others; its throws become rejections).
  receivers.push(async (sender, payload) => behave(ASYNC_RECEIVER, sender, payload))

  sig.receiverConnected.connect(
    (
      _: unknown,
      info: {
        receiver: unknown
        sender: unknown
        options: { priority: number; once: boolean; signal: unknown; owner?: object }
      },
    ) => {
      const owner =
        info.options.owner === undefined ? -1 : owners.indexOf(info.options.owner as { owner: number })
      trace.push([
        'connected',
        receiverLabel(info.receiver),
        senderLabel(info.sender),
        info.options.priority,
        info.options.once,
        info.options.signal !== undefined,
        owner,
      ])
      if (failNextConnect) {
        failNextConnect = false
        throw new Planned('receiverConnected')
      }
    },
  )
  sig.receiverDisconnected.connect(
    (_: unknown, info: { receiver: unknown; sender: unknown; reason: string }) => {
      trace.push(['disconnected', receiverLabel(info.receiver), senderLabel(info.sender), info.reason])
      // Not for aborts: an error thrown in an abort listener has no caller to go to (the process reports it).
      if (failNextDisconnect && info.reason !== 'aborted') {
        failNextDisconnect = false
        throw new Planned('receiverDisconnected')
      }
    },
  )

  const connectOptions = (
    sender: number,
    priority: number | undefined,
    once: boolean | undefined,
    abort: number,
    owner = -1,
    weak?: boolean,
    key?: string,
  ): object => {
    const options: Record<string, unknown> = {}
    if (key !== undefined) options['key'] = key
    if (owner >= 0) options['owner'] = owners[owner]
    if (weak !== undefined) options['weak'] = weak
    if (sender >= 0) options['sender'] = senders[sender]
    if (priority !== undefined) options['priority'] = priority
    if (once !== undefined) options['once'] = once
    if (abort >= 0) options['signal'] = (controllers[abort] as AbortController).signal
    return options
  }

  const runBody = (body: readonly Action[], where: string) => () => {
    for (const action of body) perform(action, where)
    return `${where} body done`
  }

  function perform(action: Action, where: string): void {
    switch (action.kind) {
      case 'connect': {
        const receiver = receivers[action.receiver]
        const options = connectOptions(
          action.sender,
          action.priority,
          action.once,
          action.abort,
          action.owner,
          action.weak,
          action.key,
        )
        if (action.via) {
          const { sender: _sender, ...rest } = options as { sender?: unknown }
          // connectVia() without arguments connects for ANY; connectVia(undefined) for the sender undefined.
          const connectFor =
            action.sender >= 0
              ? sig.connectVia(senders[action.sender], rest)
              : Object.keys(rest).length > 0
                ? sig.connectVia(ANY, rest)
                : sig.connectVia()
          connectFor(receiver)
        } else {
          sig.connect(receiver, options)
        }
        return
      }
      case 'disconnect':
        trace.push([
          'disconnect',
          sig.disconnect(
            receivers[action.receiver],
            action.sender >= 0 ? { sender: senders[action.sender] } : undefined,
          ),
        ])
        return
      case 'disconnectOwner':
        trace.push(['disconnectOwner', endOwner(owners[action.owner] as object)])
        return
      case 'disconnectKey':
        trace.push([
          'disconnectKey',
          sig.disconnect(
            action.sender >= 0 ? { key: action.key, sender: senders[action.sender] } : { key: action.key },
          ),
        ])
        return
      case 'disconnectAll':
        trace.push([
          'disconnectAll',
          sig.disconnectAll(action.sender >= 0 ? { sender: senders[action.sender] } : undefined),
        ])
        return
      case 'sendAsync':
        throw new Error('async sends are top-level steps')
      case 'abort':
        ;(controllers[action.controller] as AbortController).abort()
        return
      case 'send':
      case 'emit':
      case 'sendRobust': {
        const payload = ++payloads
        const sender = action.sender >= 0 ? senders[action.sender] : undefined
        if (action.kind === 'send') {
          const results = action.sender >= 0 ? sig.send(sender, payload) : sig.send()
          trace.push(['sent', results.map(([receiver, value]) => [receiverLabel(receiver), value])])
        } else if (action.kind === 'emit') {
          trace.push(['emitted', sig.emit(sender, payload)])
        } else {
          const results = sig.sendRobust(sender, payload)
          trace.push([
            'sentRobust',
            results.map(([receiver, outcome]) => [
              receiverLabel(receiver),
              outcome.status === 'fulfilled' ? outcome.value : describeError(outcome.reason),
            ]),
          ])
        }
        return
      }
      case 'muted':
        trace.push(['muted', sig.muted(runBody(action.body, `${where} muted`))])
        return
      case 'mute':
        muteHandles.push(sig.muted())
        return
      case 'unmute':
        muteHandles[action.handle]?.[Symbol.dispose]()
        return
      case 'connectedTo': {
        const options = connectOptions(
          action.sender,
          action.priority,
          action.once,
          action.abort,
          -1,
          undefined,
          action.key,
        )
        trace.push([
          'connectedTo',
          sig.connectedTo(receivers[action.receiver], options, runBody(action.body, `${where} connectedTo`)),
        ])
        return
      }
      case 'scope': {
        const options = connectOptions(
          action.sender,
          undefined,
          undefined,
          action.abort,
          -1,
          undefined,
          action.key,
        )
        const handle = sig.connectedTo(receivers[action.receiver], options)
        scopeHandles.push(handle)
        trace.push(['scope', handle.connected])
        return
      }
      case 'endScope': {
        const handle = scopeHandles[action.handle]
        if (handle === undefined) return
        if (action.how === 'dispose') handle[Symbol.dispose]()
        else trace.push(['scopeDisconnect', handle.disconnect()])
        return
      }
      case 'failNextConnect':
        failNextConnect = true
        return
      case 'failNextDisconnect':
        failNextDisconnect = true
        return
      case 'throw':
        throw new Planned(where)
    }
  }

  const observe = (): void => {
    trace.push([
      'state',
      sig.receiverCount,
      sig.isMuted,
      senders.map((sender) => sig.hasReceiversFor(sender)),
      senders.map((sender) => sig.receiversFor(sender).map(receiverLabel)),
      scopeHandles.map((handle) => handle.connected),
      implementation === 'library' ? processState.depth : 0,
    ])
  }

  const sendAsync = async (action: Extract<Action, { kind: 'sendAsync' }>): Promise<void> => {
    const payload = ++payloads
    const sender = action.sender >= 0 ? senders[action.sender] : undefined
    const options = action.concurrency === undefined ? undefined : { concurrency: action.concurrency }
    if (action.robust) {
      const results = await sig.sendAsyncRobust(sender, payload, options)
      trace.push([
        'sentAsyncRobust',
        results.map(([receiver, outcome]) => [
          receiverLabel(receiver),
          outcome.status === 'fulfilled' ? outcome.value : describeError(outcome.reason),
        ]),
      ])
    } else {
      const results = await sig.sendAsync(sender, payload, options)
      trace.push(['sentAsync', results.map(([receiver, value]) => [receiverLabel(receiver), value])])
    }
  }

  for (const [index, step] of program.steps.entries()) {
    try {
      if (step.kind === 'sendAsync') await sendAsync(step)
      else perform(step, `step ${index}`)
    } catch (error) {
      trace.push(['threw', describeError(error)])
    }
    failNextConnect = false
    failNextDisconnect = false
    observe()
  }
  // Whatever the program left open is closed: the signal must end unmuted.
  for (const handle of muteHandles) handle[Symbol.dispose]()
  for (const handle of scopeHandles) handle[Symbol.dispose]()
  observe()
  return trace
}

/** Throws, showing the first difference, unless the library and the model produce the same trace. */
export async function assertLibraryMatchesModel(program: Program): Promise<void> {
  const library = await runProgram(program, 'library')
  const model = await runProgram(program, 'model')
  if (isDeepStrictEqual(library, model)) return
  let index = 0
  while (index < Math.min(library.length, model.length) && isDeepStrictEqual(library[index], model[index]))
    index++
  const show = (trace: unknown[]) =>
    inspect(trace.slice(Math.max(0, index - 4), index + 3), { depth: 6, breakLength: 140 })
  throw new Error(
    `the library and the model differ at trace entry ${index}\nlibrary: ${show(library)}\nmodel:   ${show(model)}`,
  )
}
