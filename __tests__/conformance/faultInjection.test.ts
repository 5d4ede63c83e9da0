import { disconnectOwner, Signal } from 'signalry'
import { processState } from '../../src/shared/processState'

// Fault injection: a receiver throws (or, for async sends, rejects) at every position of the call
// order, with every send method, directly and inside muted/connectedTo scopes and nested sends.
// Afterwards nothing is left muted, half-disconnected or stuck: the scopes ended, the send-depth
// stack is back to 0, `once` was used up exactly when its receiver was reached, and a follow-up
// send calls every remaining receiver once, in order.

type Method =
  | 'send'
  | 'emit'
  | 'sendRobust'
  | 'sendAsync serial'
  | 'sendAsync concurrent'
  | 'sendAsyncRobust serial'
  | 'sendAsyncRobust concurrent'
const methods: Method[] = [
  'send',
  'emit',
  'sendRobust',
  'sendAsync serial',
  'sendAsync concurrent',
  'sendAsyncRobust serial',
  'sendAsyncRobust concurrent',
]
const RECEIVERS = 5

/** Whether a failure stops the send (no later receiver is called). */
const stopsAtFailure = (method: Method) =>
  method === 'send' || method === 'emit' || method === 'sendAsync serial'
/** Whether the failure reaches the caller (robust sends report it instead). */
const propagates = (method: Method) =>
  !method.startsWith('sendRobust') && !method.startsWith('sendAsyncRobust')
const isAsync = (method: Method) => method.startsWith('sendAsync')

class Injected extends Error {}

/**
 * A signal with five receivers, called in this order by a send for 'a':
 * r0 (ANY, priority 10), r1 ('a', once), r2 (ANY, AbortSignal), r3 ('a', owner), r4 (ANY, priority -5).
 * Receiver `failing` throws (an async one rejects, for async sends).
 */
function setUp(method: Method, failing: number) {
  const sig = new Signal<number, string>()
  const calls: number[] = []
  const error = new Injected(`receiver ${failing} failed`)
  const owner = { name: 'owner' }
  const controller = new AbortController()
  const receivers = Array.from({ length: RECEIVERS }, (_, index) => {
    const body = (_sender: string, payload: number) => {
      calls.push(index)
      if (index === failing && payload !== 0) throw error
      return index
    }
    // Async sends get an async function for the failing receiver, so that it rejects.
    return isAsync(method) && index === failing
      ? async (sender: string, payload: number) => body(sender, payload)
      : body
  })
  const receiver = (index: number) => receivers[index] as (sender: string, payload: number) => unknown
  sig.connect(receiver(0), { priority: 10 })
  sig.connect(receiver(1), { sender: 'a', priority: 5, once: true })
  sig.connect(receiver(2), { signal: controller.signal })
  sig.connect(receiver(3), { sender: 'a', owner })
  sig.connect(receiver(4), { priority: -5 })
  const disconnected: string[] = []
  sig.receiverDisconnected.connect((_, info) =>
    disconnected.push(`r${receivers.indexOf(info.receiver as never)} ${info.reason}`),
  )

  /** Sends for 'a' with the method under test; payload 0 makes nobody fail. */
  function sendA(payload: number): unknown {
    switch (method) {
      case 'send':
        return sig.send('a', payload)
      case 'emit':
        return sig.emit('a', payload)
      case 'sendRobust':
        return sig.sendRobust('a', payload)
      case 'sendAsync serial':
        return sig.sendAsync('a', payload)
      case 'sendAsync concurrent':
        return sig.sendAsync('a', payload, { concurrency: 'concurrent' })
      case 'sendAsyncRobust serial':
        return sig.sendAsyncRobust('a', payload)
      case 'sendAsyncRobust concurrent':
        return sig.sendAsyncRobust('a', payload, { concurrency: 'concurrent' })
    }
  }

  return { sig, calls, error, owner, controller, receivers, disconnected, sendA }
}

type Context = (sig: Signal<number, string>, run: () => unknown) => unknown
const other = new Signal<void, unknown>('other')

const contexts: Array<[string, Context]> = [
  ['directly', (_sig, run) => run()],
  [
    'inside connectedTo() with a body',
    (sig, run) => sig.connectedTo(function scoped() {}, { sender: 'a', priority: -10 }, run),
  ],
  ['inside muted() of another signal', (_sig, run) => other.muted(run)],
  [
    'inside using scopes (connectedTo and muted)',
    (sig, run) => {
      using _scope = sig.connectedTo(function scoped() {}, { priority: -10 })
      using _quiet = other.muted()
      return run()
    },
  ],
  [
    'inside a nested send',
    (_sig, run) => {
      const outer = new Signal('outer')
      outer.connect(() => run())
      // The inner send's promise (for async sends) is what the outer receiver returns.
      const [[, inner] = [undefined, undefined]] = outer.send()
      return inner
    },
  ],
]

const cases = methods.flatMap((method) =>
  contexts.flatMap(([context, wrap]) =>
    Array.from({ length: RECEIVERS }, (_, failing) => [method, failing, context, wrap] as const),
  ),
)

test.each(cases)(
  '%s: receiver %i fails %s; every signal recovers',
  async (method, failing, _context, wrap) => {
    const { sig, calls, error, receivers, disconnected, sendA } = setUp(method, failing)
    let caught: unknown
    let result: unknown
    try {
      result = wrap(sig, () => sendA(1))
      if (isAsync(method)) result = await result
    } catch (thrown) {
      caught = thrown
    }

    // Who ran, and what the caller saw.
    const reached = stopsAtFailure(method) ? failing + 1 : RECEIVERS
    expect(calls).toEqual(Array.from({ length: reached }, (_, index) => index))
    if (propagates(method)) {
      expect(caught).toBe(error)
    } else {
      expect(caught).toBeUndefined()
      // The five receivers, then the scope's own receiver in the contexts that connect one.
      const outcomes = (result as Array<[unknown, PromiseSettledResult<unknown>]>).slice(0, RECEIVERS)
      expect(outcomes.map(([, outcome]) => outcome.status)).toEqual(
        Array.from({ length: RECEIVERS }, (_, index) => (index === failing ? 'rejected' : 'fulfilled')),
      )
      expect((outcomes[failing]?.[1] as PromiseRejectedResult).reason).toBe(error)
    }

    // Nothing left behind: scopes ended, nothing muted, no send on the stack.
    expect(processState.depth).toBe(0)
    expect(sig.isMuted).toBe(false)
    expect(other.isMuted).toBe(false)
    const onceUsed = reached > 1
    expect(sig.receiverCount).toBe(onceUsed ? RECEIVERS - 1 : RECEIVERS)
    expect(disconnected.filter((entry) => entry.startsWith('r1'))).toEqual(onceUsed ? ['r1 called-once'] : [])
    expect(disconnected.filter((entry) => !entry.startsWith('r'))).toEqual([])

    expect(sig.receiversFor('a')).toEqual(receivers.filter((_, index) => !(onceUsed && index === 1)))

    // A follow-up send calls every remaining receiver once, in order.
    calls.length = 0
    const followUp = sendA(0)
    if (isAsync(method)) await followUp
    expect(calls).toEqual(onceUsed ? [0, 2, 3, 4] : [0, 1, 2, 3, 4])
  },
)

test.each(methods)(
  '%s: the abort signal and the owner still end their connections after a failure',
  async (method) => {
    const { sig, owner, controller, disconnected, sendA } = setUp(method, 2)
    try {
      const result = sendA(1)
      if (isAsync(method)) await result
    } catch {
      // the injected failure, for the methods that propagate it
    }
    controller.abort()
    expect(disconnectOwner(owner)).toBe(1)
    expect(disconnected.slice(-2)).toEqual(['r2 aborted', 'r3 owner-disposed'])
    expect(sig.receiverCount).toBe(2)
  },
)

test.each([undefined, null, 'a string', 42])(
  'a receiver throwing a non-error (%p) propagates that very value and the signal recovers',
  (value) => {
    const sig = new Signal()
    const after = jest.fn()
    sig.connect(() => {
      throw value
    })
    sig.connect(after)
    let caught: unknown = 'nothing thrown'
    try {
      sig.send()
    } catch (thrown) {
      caught = thrown
    }
    expect(caught).toBe(value)
    expect(after).not.toHaveBeenCalled()
    expect(processState.depth).toBe(0)
    expect(sig.sendRobust().map(([, outcome]) => outcome.status)).toEqual(['rejected', 'fulfilled'])
  },
)

test('a throw at the deepest of nested sends unwinds every level and leaves the stack empty', () => {
  const signals = Array.from({ length: 10 }, (_, index) => new Signal<number>(`level ${index}`))
  const failure = new Injected('deepest')
  signals.forEach((sig, index) => {
    sig.connect((_, depth) => {
      const next = signals[index + 1]
      if (next === undefined) throw failure
      next.send(undefined, depth + 1)
    })
  })
  expect(() => (signals[0] as Signal<number>).send(undefined, 0)).toThrow(failure)
  expect(processState.depth).toBe(0)
  expect(processState.sending.every((entry) => entry === undefined)).toBe(true)
})

test('a muted() or connectedTo() body that throws inside a receiver ends its scope', () => {
  const sig = new Signal()
  const scoped = jest.fn()
  const failure = new Injected('body')
  sig.connect(() => {
    sig.muted(() => {
      throw failure
    })
  })
  expect(() => sig.send()).toThrow(failure)
  expect(sig.isMuted).toBe(false)
  sig.disconnect(sig.receiversFor(undefined)[0] as () => void)
  sig.connect(() => {
    sig.connectedTo(scoped, () => {
      throw failure
    })
  })
  expect(() => sig.send()).toThrow(failure)
  expect(sig.receiverCount).toBe(1)
  expect(sig.receiversFor(undefined)).not.toContain(scoped)
})

test('an async connectedTo() or muted() body that rejects ends its scope when it settles', async () => {
  const sig = new Signal()
  const scoped = jest.fn()
  const failure = new Injected('async body')
  await expect(
    sig.connectedTo(scoped, async () => {
      await sig.sendAsync()
      throw failure
    }),
  ).rejects.toBe(failure)
  expect(scoped).toHaveBeenCalledTimes(1)
  expect(sig.receiverCount).toBe(0)
  await expect(
    sig.muted(async () => {
      await Promise.resolve()
      throw failure
    }),
  ).rejects.toBe(failure)
  expect(sig.isMuted).toBe(false)
})
