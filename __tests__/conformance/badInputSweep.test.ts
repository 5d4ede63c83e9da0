import { ANY, disconnectOwner, NamedSignal, Namespace, Signal, signal } from 'signalry'
import { processState } from '../../src/shared/processState'

// The bad-input sweep: every public function and every option, fed every kind of value (undefined,
// null, numbers with NaN and ±Infinity, strings, symbols, objects plain, frozen, null-prototype,
// arrays, dates, promises, functions, async functions, classes, revoked proxies). Each call either
// works as documented or throws a TypeError (a RangeError for a number out of a setting's range) that names the
// method and the argument; either way the signal keeps working, checked with a follow-up send.
// badInput.test.ts has the hand-picked cases with their exact messages; this sweep is exhaustive.

function revokedObject(): object {
  const { proxy, revoke } = Proxy.revocable({}, {})
  revoke()
  return proxy
}

function revokedFunction(): () => void {
  const { proxy, revoke } = Proxy.revocable(() => {}, {})
  revoke()
  return proxy
}

const values: Array<[label: string, make: () => unknown]> = [
  ['undefined', () => undefined],
  ['null', () => null],
  ['0', () => 0],
  ['-0', () => -0],
  ['42', () => 42],
  ['1.5', () => 1.5],
  ['NaN', () => Number.NaN],
  ['Infinity', () => Number.POSITIVE_INFINITY],
  ['-Infinity', () => Number.NEGATIVE_INFINITY],
  ['an empty string', () => ''],
  ['a string', () => 'text'],
  ['true', () => true],
  ['a bigint', () => 10n],
  ['a symbol', () => Symbol('bad')],
  ['a registered symbol', () => Symbol.for('signalry.sweep')],
  ['ANY', () => ANY],
  ['an empty object', () => ({})],
  ['an array', () => []],
  ['a frozen object', () => Object.freeze({})],
  ['a null-prototype object', () => Object.create(null) as object],
  ['a Date', () => new Date(0)],
  ['a Promise', () => Promise.resolve('settled')],
  ['a function', () => (_sender: unknown, payload: unknown) => `plain ${String(payload)}`],
  [
    'a frozen function',
    () => Object.freeze((_sender: unknown, payload: unknown) => `frozen ${String(payload)}`),
  ],
  ['an async function', () => async () => 'async'],
  ['a class', () => class Klass {}],
  ['a revoked object proxy', revokedObject],
  ['a revoked function proxy', revokedFunction],
]

// What each argument accepts.
const anything = (): boolean => true
const isRevoked = (label: string): boolean => label.startsWith('a revoked')
const aFunction = (value: unknown, label: string): boolean => typeof value === 'function' && !isRevoked(label)
// A class is a function, but calling it without `new` throws: it is never connected as a receiver.
const aReceiver = (value: unknown, label: string): boolean => aFunction(value, label) && label !== 'a class'
const aDispatchKey = (value: unknown): boolean =>
  (typeof value === 'string' && value !== '') || typeof value === 'symbol'
const anOptionsObject = (value: unknown, label: string): boolean =>
  value === undefined ||
  (typeof value === 'object' && value !== null && !isRevoked(label) && !Array.isArray(value))
const optional =
  (accepts: (value: unknown) => boolean) =>
  (value: unknown): boolean =>
    value === undefined || accepts(value)

/** Numeric settings: a non-number is a TypeError, a number out of range a RangeError (as in Node). */
const numberSettingError = (value: unknown): typeof TypeError | typeof RangeError =>
  typeof value === 'number' ? RangeError : TypeError

const aReceiverLimit = (value: unknown): boolean =>
  value === Number.POSITIVE_INFINITY ||
  (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)

interface Environment {
  readonly sig: Signal<unknown, unknown>
  readonly ns: Namespace
  /** Runs at the end: removes whatever the call connected, ends what it opened. */
  readonly cleanups: Array<() => void>
  /** Connects the signal's two receivers again (disconnectAll() may remove them); a no-op while they are connected. */
  readonly reconnect: () => void
}

interface EntryPoint {
  /** How the call is shown in the test name. */
  readonly shown: string
  /** What the error message must contain: the method and the argument. */
  readonly names: readonly string[]
  readonly accepts: (value: unknown, label: string) => boolean
  readonly call: (env: Environment, value: any) => unknown
  /** The value is run as a body: when accepted, the call may throw what the body throws. */
  readonly runsValue?: boolean
  /** The error a rejected value throws; TypeError when not given. */
  readonly errorFor?: (value: unknown) => typeof TypeError | typeof RangeError
}

/** A receiver to connect when the value under test is something else. */
const receiverOf = (env: Environment): ((sender: unknown, payload: unknown) => string) => {
  const receiver = (_sender: unknown, payload: unknown): string => `temporary ${typeof payload}`
  env.cleanups.push(() => env.sig.disconnect(receiver))
  return receiver
}

/** Disconnects `value` from the signal afterwards, when it is a function that may have been connected. */
const disconnectLater = (env: Environment, value: unknown): void => {
  if (typeof value === 'function' && !isRevokedFunction(value))
    env.cleanups.push(() => env.sig.disconnect(value as () => void))
}

const entryPoints: EntryPoint[] = [
  {
    shown: 'connect(value)',
    names: ['connect()', 'receiver'],
    accepts: aReceiver,
    call: (env, value) => {
      disconnectLater(env, value)
      return env.sig.connect(value)
    },
  },
  {
    shown: 'connect(receiver, value)',
    names: ['connect()', 'options'],
    accepts: anOptionsObject,
    call: (env, value) => env.sig.connect(receiverOf(env), value),
  },
  {
    shown: 'connect(receiver, { sender: value })',
    names: [],
    accepts: anything,
    call: (env, value) => env.sig.connect(receiverOf(env), { sender: value }),
  },
  {
    shown: 'connect(receiver, { once: value })',
    names: ['connect()', '"once"'],
    accepts: optional((value) => typeof value === 'boolean'),
    call: (env, value) => env.sig.connect(receiverOf(env), { once: value }),
  },
  {
    shown: 'connect(receiver, { priority: value })',
    names: ['connect()', '"priority"'],
    accepts: optional((value) => typeof value === 'number' && Number.isFinite(value)),
    call: (env, value) => env.sig.connect(receiverOf(env), { priority: value }),
  },
  {
    shown: 'connect(receiver, { signal: value })',
    names: ['connect()', '"signal"'],
    accepts: optional(() => false),
    call: (env, value) => env.sig.connect(receiverOf(env), { signal: value }),
  },
  {
    shown: 'connect(receiver, { weak: value })',
    names: ['connect()', '"weak"'],
    accepts: optional((value) => typeof value === 'boolean'),
    call: (env, value) => env.sig.connect(receiverOf(env), { weak: value }),
  },
  {
    shown: 'connect(receiver, { owner: value })',
    names: ['connect()', '"owner"'],
    accepts: optional(isOwner),
    call: (env, value) => env.sig.connect(receiverOf(env), { owner: value }),
  },
  {
    shown: 'disconnectOwner(value)',
    names: ['disconnectOwner()', 'owner'],
    accepts: isOwner,
    call: (_env, value) => disconnectOwner(value),
  },
  {
    shown: 'connectVia(value)(receiver)',
    names: [],
    accepts: anything,
    call: (env, value) => env.sig.connectVia(value)(receiverOf(env)),
  },
  {
    shown: 'connectVia(ANY, value)(receiver)',
    names: ['connectVia()', 'options'],
    accepts: anOptionsObject,
    call: (env, value) => env.sig.connectVia(ANY, value)(receiverOf(env)),
  },
  {
    shown: 'connectVia()(value)',
    names: ['connectVia()', 'receiver'],
    accepts: aReceiver,
    call: (env, value) => {
      disconnectLater(env, value)
      return env.sig.connectVia()(value)
    },
  },
  {
    shown: 'connectedTo(value)',
    names: ['connectedTo()', 'receiver'],
    accepts: aReceiver,
    call: (env, value) => {
      disconnectLater(env, value)
      return env.sig.connectedTo(value)
    },
  },
  {
    shown: 'connectedTo(receiver, value)',
    names: ['connectedTo()', 'options'],
    // Two arguments: a function is the body, anything else the options.
    accepts: (value, label) => typeof value === 'function' || anOptionsObject(value, label),
    runsValue: true,
    call: (env, value) => env.sig.connectedTo(receiverOf(env), value),
  },
  {
    shown: 'connectedTo(receiver, undefined, value)',
    names: ['connectedTo()', 'body'],
    accepts: (value) => typeof value === 'function',
    runsValue: true,
    call: (env, value) => env.sig.connectedTo(receiverOf(env), undefined, value),
  },
  {
    shown: 'connectedTo(receiver, value, body)',
    names: ['connectedTo()', 'options'],
    accepts: anOptionsObject,
    call: (env, value) => env.sig.connectedTo(receiverOf(env), value, () => env.sig.send('inside', 1)),
  },
  {
    shown: 'connectedTo(receiver, { sender: value }, body)',
    names: [],
    accepts: anything,
    call: (env, value) =>
      env.sig.connectedTo(receiverOf(env), { sender: value }, () => env.sig.send(value, 1)),
  },
  {
    shown: 'connectedTo(receiver, { priority: value }, body)',
    names: ['connectedTo()', '"priority"'],
    accepts: optional((value) => typeof value === 'number' && Number.isFinite(value)),
    call: (env, value) =>
      env.sig.connectedTo(receiverOf(env), { priority: value }, () => env.sig.send('inside', 1)),
  },
  // A revoked function proxy is a function: disconnecting it is allowed (it may have been connected before it was revoked).
  {
    shown: 'disconnect(value)',
    names: ['disconnect()', 'receiver'],
    accepts: (value) => typeof value === 'function',
    call: (env, value) => env.sig.disconnect(value),
  },
  {
    shown: 'connect(receiver, { key: value })',
    names: ['connect()', '"key"'],
    accepts: optional(aDispatchKey),
    call: (env, value) => env.sig.connect(receiverOf(env), { key: value }),
  },
  {
    shown: 'disconnect({ key: value })',
    names: ['disconnect()', '"key"'],
    accepts: aDispatchKey,
    call: (env, value) => env.sig.disconnect({ key: value }),
  },
  {
    shown: 'disconnect(receiver, value)',
    names: ['disconnect()', 'options'],
    accepts: anOptionsObject,
    call: (env, value) => env.sig.disconnect(receiverOf(env), value),
  },
  {
    shown: 'disconnect(receiver, { sender: value })',
    names: [],
    accepts: anything,
    call: (env, value) => env.sig.disconnect(receiverOf(env), { sender: value }),
  },
  {
    shown: 'disconnectAll(value)',
    names: ['disconnectAll()', 'options'],
    accepts: anOptionsObject,
    call: (env, value) => {
      env.cleanups.push(env.reconnect)
      return env.sig.disconnectAll(value)
    },
  },
  {
    shown: 'disconnectAll({ sender: value })',
    names: [],
    accepts: anything,
    call: (env, value) => {
      env.cleanups.push(env.reconnect)
      return env.sig.disconnectAll({ sender: value })
    },
  },
  { shown: 'send(value)', names: [], accepts: anything, call: (env, value) => env.sig.send(value) },
  {
    shown: 'send(sender, value)',
    names: [],
    accepts: anything,
    call: (env, value) => env.sig.send('sender', value),
  },
  {
    shown: 'emit(value, value)',
    names: [],
    accepts: anything,
    call: (env, value) => env.sig.emit(value, value),
  },
  {
    shown: 'sendRobust(value, value)',
    names: [],
    accepts: anything,
    call: (env, value) => env.sig.sendRobust(value, value),
  },
  // Async sends never throw: they reject.
  {
    shown: 'sendAsync(value, value)',
    names: [],
    accepts: anything,
    call: (env, value) => env.sig.sendAsync(value, value),
  },
  {
    shown: 'sendAsync(sender, payload, value)',
    names: ['sendAsync()', 'options'],
    accepts: anOptionsObject,
    call: (env, value) => env.sig.sendAsync('s', 1, value),
  },
  {
    shown: 'sendAsync(sender, payload, { concurrency: value })',
    names: ['sendAsync()', '"concurrency"'],
    accepts: optional(() => false),
    call: (env, value) => env.sig.sendAsync('s', 1, { concurrency: value }),
  },
  {
    shown: 'sendAsyncRobust(value, value)',
    names: [],
    accepts: anything,
    call: (env, value) => env.sig.sendAsyncRobust(value, value),
  },
  {
    shown: 'sendAsyncRobust(sender, payload, value)',
    names: ['sendAsyncRobust()', 'options'],
    accepts: anOptionsObject,
    call: (env, value) => env.sig.sendAsyncRobust('s', 1, value),
  },
  {
    shown: 'events(value)',
    names: ['events()', 'options'],
    accepts: anOptionsObject,
    call: (env, value) => env.sig.events(value),
  },
  {
    shown: 'events({ sender: value })',
    names: [],
    accepts: anything,
    call: (env, value) => env.sig.events({ sender: value }),
  },
  {
    shown: 'events({ bufferSize: value })',
    names: ['events()', '"bufferSize"'],
    accepts: optional((value) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 1),
    call: (env, value) => env.sig.events({ bufferSize: value }),
  },
  {
    shown: 'events({ overflow: value })',
    names: ['events()', '"overflow"'],
    accepts: optional(() => false),
    call: (env, value) => env.sig.events({ overflow: value }),
  },
  {
    shown: 'events({ signal: value })',
    names: ['events()', '"signal"'],
    accepts: optional(() => false),
    call: (env, value) => env.sig.events({ signal: value }),
  },
  // A pending next() is settled by a send of the cleanup.
  {
    shown: 'next(value)',
    names: ['next()', 'options'],
    accepts: anOptionsObject,
    call: (env, value) => settledByASend(env, 'cleanup', env.sig.next(value)),
  },
  {
    shown: 'next({ sender: value })',
    names: [],
    accepts: anything,
    call: (env, value) => settledByASend(env, value, env.sig.next({ sender: value })),
  },
  {
    shown: 'next({ signal: value })',
    names: ['next()', '"signal"'],
    accepts: optional(() => false),
    call: (env, value) => settledByASend(env, 'cleanup', env.sig.next({ signal: value })),
  },
  {
    shown: 'hasReceiversFor(value)',
    names: [],
    accepts: anything,
    call: (env, value) => env.sig.hasReceiversFor(value),
  },
  {
    shown: 'receiversFor(value)',
    names: [],
    accepts: anything,
    call: (env, value) => env.sig.receiversFor(value),
  },
  // Takes no argument: one given is ignored.
  {
    shown: 'connections(value)',
    names: [],
    accepts: anything,
    call: (env, value) => (env.sig.connections as (extra: unknown) => unknown)(value),
  },
  {
    shown: 'muted(value)',
    names: ['muted()', 'body'],
    accepts: (value) => typeof value === 'function',
    runsValue: true,
    call: (env, value) => env.sig.muted(value),
  },
  {
    shown: 'receiverConnected.connect(value)',
    names: ['connect()', 'receiver'],
    accepts: aReceiver,
    call: (env, value) => {
      if (typeof value === 'function' && !isRevokedFunction(value))
        env.cleanups.push(() => env.sig.receiverConnected.disconnect(value))
      return env.sig.receiverConnected.connect(value)
    },
  },
  {
    shown: 'new Signal(value)',
    names: ['Signal()', 'doc'],
    accepts: optional((value) => typeof value === 'string'),
    call: (_env, value) => new Signal(value),
  },
  {
    shown: 'new NamedSignal(value)',
    names: ['NamedSignal()', 'name'],
    accepts: (value) => typeof value === 'string' || typeof value === 'symbol',
    call: (_env, value) => new NamedSignal(value),
  },
  {
    shown: "new NamedSignal('name', value)",
    names: ['NamedSignal()', 'doc'],
    accepts: optional((value) => typeof value === 'string'),
    call: (_env, value) => new NamedSignal('name', value),
  },
  {
    shown: 'namespace.signal(value)',
    names: ['signal()', 'name'],
    accepts: (value) => typeof value === 'string' || typeof value === 'symbol',
    call: (env, value) => env.ns.signal(value),
  },
  {
    shown: "namespace.signal('name', value)",
    names: ['signal()', 'doc'],
    accepts: optional((value) => typeof value === 'string'),
    call: (env, value) => env.ns.signal('name', value),
  },
  {
    shown: 'namespace.has(value)',
    names: ['has()', 'name'],
    accepts: (value) => typeof value === 'string' || typeof value === 'symbol',
    call: (env, value) => env.ns.has(value),
  },
  {
    shown: 'namespace.connectMatching(value, receiver)',
    names: ['connectMatching()', 'pattern'],
    accepts: (value) => typeof value === 'string' && value !== '' && !value.slice(0, -1).includes('*'),
    call: (env, value) => env.ns.connectMatching(value, () => {}),
  },
  {
    shown: "namespace.connectMatching('*', value)",
    names: ['connectMatching()', 'receiver'],
    accepts: aReceiver,
    call: (env, value) => env.ns.connectMatching('*', value),
  },
  {
    shown: "namespace.connectMatching('*', receiver, value)",
    names: ['connectMatching()', 'options'],
    accepts: anOptionsObject,
    call: (env, value) => env.ns.connectMatching('*', () => {}, value),
  },
  {
    shown: "namespace.connectMatching('*', receiver, { priority: value })",
    names: ['connectMatching()', '"priority"'],
    accepts: optional((value) => typeof value === 'number' && Number.isFinite(value)),
    call: (env, value) => env.ns.connectMatching('*', () => {}, { priority: value }),
  },
  {
    shown: "namespace.connectedToMatching('*', receiver, undefined, value)",
    names: ['connectedToMatching()', 'body'],
    accepts: (value) => typeof value === 'function',
    runsValue: true,
    call: (env, value) => env.ns.connectedToMatching('*', () => {}, undefined, value),
  },
  {
    shown: 'signal(value)',
    names: ['signal()', 'name'],
    accepts: (value) => typeof value === 'string' || typeof value === 'symbol',
    call: (_env, value) => signal(value),
  },
  {
    shown: 'Signal.maxSendDepth = value',
    names: ['maxSendDepth'],
    accepts: (value) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 1,
    errorFor: numberSettingError,
    call: (env, value) => {
      env.cleanups.push(() => {
        Signal.maxSendDepth = 100
      })
      Signal.maxSendDepth = value
    },
  },
  {
    shown: 'Signal.defaultMaxReceivers = value',
    names: ['defaultMaxReceivers'],
    accepts: aReceiverLimit,
    errorFor: numberSettingError,
    call: (env, value) => {
      env.cleanups.push(() => {
        Signal.defaultMaxReceivers = 100
      })
      Signal.defaultMaxReceivers = value
    },
  },
  {
    shown: 'sig.maxReceivers = value',
    names: ['maxReceivers'],
    accepts: optional(aReceiverLimit),
    errorFor: numberSettingError,
    call: (env, value) => {
      env.sig.maxReceivers = value
    },
  },
]

function isOwner(value: unknown): boolean {
  return (typeof value === 'object' && value !== null) || typeof value === 'function'
}

/** A pending next(): emitted for after the call, so that it settles (and disconnects) before the checks. */
function settledByASend(env: Environment, sender: unknown, pending: Promise<unknown>): Promise<unknown> {
  env.cleanups.push(() => env.sig.emit(sender, 0))
  return pending
}

function isRevokedFunction(value: Function): boolean {
  try {
    void value.name
    return false
  } catch {
    return true
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  )
}

/** A signal with a receiver for every sender and one for the sender 'follow-up'; checks they still work. */
function environment() {
  const sig = new Signal<unknown, unknown>()
  // Payloads may be anything, revoked proxies too: only numbers are shown.
  const shown = (payload: unknown) => (typeof payload === 'number' ? payload : typeof payload)
  const everySender = (_sender: unknown, payload: unknown) => `every ${shown(payload)}`
  const followUp = (_sender: unknown, payload: unknown) => `follow-up ${shown(payload)}`
  const connectBoth = (): void => {
    sig.connect(followUp, { sender: 'follow-up' })
    sig.connect(everySender, { priority: 1000 })
  }
  connectBoth()
  const env: Environment = { sig, ns: new Namespace(), cleanups: [], reconnect: connectBoth }

  function expectStillWorking(): void {
    expect(processState.depth).toBe(0)
    // The namespace kept no subscription of the call, and wildcards still reach its signals.
    expect(env.ns.patternConnections()).toEqual([])
    const names: unknown[] = []
    env.ns.connectedToMatching(
      'follow.*',
      (_, __, name) => void names.push(name),
      () => env.ns.signal('follow.up').send(),
    )
    expect(names).toEqual(['follow.up'])
    expect(sig.isMuted).toBe(false)
    expect(sig.receiverCount).toBe(2)
    expect(sig.send('follow-up', 7)).toEqual([
      [everySender, 'every 7'],
      [followUp, 'follow-up 7'],
    ])
    expect(sig.emit('other', 8)).toBe(true)
    expect(sig.receiversFor('follow-up')).toEqual([everySender, followUp])
  }

  return { env, expectStillWorking }
}

const cases = entryPoints.flatMap((entry) =>
  values.map(([label, make]) => [entry.shown, label, entry, make] as const),
)

test.each(cases)(
  '%s with %s works as documented or throws an error naming the argument; the signal keeps working',
  async (_shown, label, entry, make) => {
    const { env, expectStillWorking } = environment()
    const value = make()
    let threw = false
    let error: unknown
    let returned: unknown
    try {
      returned = entry.call(env, value)
    } catch (caught) {
      threw = true
      error = caught
    }
    // Async sends and next() reject instead of throwing; an async body ends its scope when its promise settles.
    if (isPromiseLike(returned) && returned !== value) {
      const pending = Promise.resolve(returned)
      pending.catch(() => {})
      if (/^next\(/.test(entry.shown)) for (const cleanup of env.cleanups.splice(0)) cleanup()
      try {
        await pending
      } catch (caught) {
        if (!entry.runsValue) {
          threw = true
          error = caught
        }
      }
    }
    // An events() iterator is connected until it is returned.
    if (typeof returned === 'object' && returned !== null && Symbol.asyncIterator in returned) {
      await (returned as unknown as AsyncIterator<unknown>).return?.()
    }
    if (entry.accepts(value, label)) {
      if (!entry.runsValue) expect(error).toBeUndefined()
    } else {
      expect(threw).toBe(true)
      expect(error).toBeInstanceOf(entry.errorFor?.(value) ?? TypeError)
      for (const name of entry.names) expect((error as Error).message).toContain(name)
    }
    if (typeof returned === 'object' && returned !== null && Symbol.dispose in returned)
      (returned as Disposable)[Symbol.dispose]()
    for (const cleanup of env.cleanups) cleanup()
    expectStillWorking()
  },
)

test('the sweep covers every public function of a signal, and disconnectOwner', () => {
  expect(entryPoints.some((entry) => entry.shown.startsWith('disconnectOwner('))).toBe(true)
  const covered = new Set(entryPoints.map((entry) => /^(?:[\w.]+\.)?(\w+)\(/.exec(entry.shown)?.[1]))
  const methods = Object.getOwnPropertyNames(Signal.prototype).filter((name) => {
    const descriptor = Object.getOwnPropertyDescriptor(Signal.prototype, name)
    return name !== 'constructor' && name !== 'toString' && typeof descriptor?.value === 'function'
  })
  for (const method of methods)
    expect({ method, covered: covered.has(method) }).toEqual({ method, covered: true })
})
