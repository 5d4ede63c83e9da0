import { ANY, NamedSignal, Namespace, Signal, signal } from 'signalry'
import { thrownBy } from '../helpers/thrown'

// Bad input throws a TypeError that says what was wrong (the method, the argument, what was given),
// and it never corrupts the signal: after every rejected call the receivers connected before still
// run, with the right results, and nothing was connected, disconnected or reported.

/** Runs `fn`, which must throw a TypeError, and returns its message. */
function typeErrorMessage(fn: () => unknown): string {
  const error = thrownBy(fn)
  expect(error).toBeInstanceOf(TypeError)
  return (error as TypeError).message
}

/**
 * A signal with two receivers (one for every sender with priority 1, one for sender 'a') and spies
 * on its meta-signals. `expectIntact()` checks that it still works exactly as set up.
 */
function fixture() {
  const sig = new Signal<number, unknown>()
  const first = jest.fn((_sender: unknown, n: number) => n + 1)
  const second = jest.fn((_sender: unknown, n: number) => n * 10)
  sig.connect(second, { sender: 'a' })
  sig.connect(first, { priority: 1 })
  const connected = jest.fn()
  const disconnected = jest.fn()
  sig.receiverConnected.connect(connected)
  sig.receiverDisconnected.connect(disconnected)

  function expectIntact(): void {
    first.mockClear()
    second.mockClear()
    expect(sig.receiverCount).toBe(2)
    expect(sig.isMuted).toBe(false)
    expect(sig.send('a', 4)).toEqual([
      [first, 5],
      [second, 40],
    ])
    expect(first).toHaveBeenCalledTimes(1)
    expect(first).toHaveBeenCalledWith('a', 4)
    expect(second).toHaveBeenCalledTimes(1)
    expect(second).toHaveBeenCalledWith('a', 4)
    expect(sig.send('b', 1)).toEqual([[first, 2]])
    expect(second).toHaveBeenCalledTimes(1)
    expect(connected).not.toHaveBeenCalled()
    expect(disconnected).not.toHaveBeenCalled()
  }

  return { sig, first, second, connected, disconnected, expectIntact }
}

const notFunctions: Array<[label: string, value: unknown, description: string]> = [
  ['undefined', undefined, 'got undefined'],
  ['null', null, 'got null'],
  ['a number', 5, 'got number 5'],
  ['NaN', Number.NaN, 'got number NaN'],
  ['a string', 'abc', 'got string "abc"'],
  ['an empty string', '', 'got string ""'],
  ['a boolean', true, 'got boolean true'],
  ['a bigint', 10n, 'got bigint 10n'],
  ['a symbol', Symbol('handler'), 'got symbol Symbol(handler)'],
  ['a plain object', { handleEvent() {} }, 'got an object'],
  ['an array', [() => {}], 'got an array'],
  ['a class instance', new Date(0), 'got a Date'],
]

type ReceiverTaker = (sig: Signal<number, unknown>, receiver: any) => unknown

const receiverTakers: Array<[method: string, call: ReceiverTaker]> = [
  ['connect', (sig, receiver) => sig.connect(receiver)],
  ['connect', (sig, receiver) => sig.connect(receiver, { sender: 'a', priority: 3 })],
  ['disconnect', (sig, receiver) => sig.disconnect(receiver)],
  ['disconnect', (sig, receiver) => sig.disconnect(receiver, { sender: 'a' })],
  ['connectedTo', (sig, receiver) => sig.connectedTo(receiver)],
  ['connectedTo', (sig, receiver) => sig.connectedTo(receiver, { sender: 'a' }, () => sig.send('a', 1))],
  ['connectVia', (sig, receiver) => sig.connectVia('a')(receiver)],
  ['connectVia', (sig, receiver) => sig.connectVia()(receiver)],
]

const receiverCases = receiverTakers.flatMap(([method, call]) =>
  notFunctions.map(([label, value, description]) => [method, label, call, value, description] as const),
)

describe('receivers that are not functions', () => {
  test.each(receiverCases)('%s() rejects %s as receiver', (method, _label, call, value, description) => {
    const { sig, expectIntact } = fixture()
    const message = typeErrorMessage(() => call(sig, value))
    expect(message).toContain(`${method}()`)
    expect(message).toContain('receiver')
    expect(message).toContain(description)
    expectIntact()
  })

  test('connect() rejects a string receiver at compile time too', () => {
    const sig = new Signal()
    // @ts-expect-error a string is not a receiver
    expect(() => sig.connect('abc')).toThrow(TypeError)
    expect(sig.receiverCount).toBe(0)
  })

  test('connectedTo() does not run its body when the receiver is rejected', () => {
    const { sig, expectIntact } = fixture()
    const body = jest.fn()
    expect(() => sig.connectedTo(null as any, body)).toThrow(TypeError)
    expect(() => sig.connectedTo(null as any, {}, body)).toThrow(
      'connectedTo() expects a function as receiver, got null',
    )
    expect(body).not.toHaveBeenCalled()
    expectIntact()
  })

  test('connectVia() returns a function that checks its receiver on every call', () => {
    const { sig, first, connected, disconnected, expectIntact } = fixture()
    const connectForB = sig.connectVia('b')
    expect(() => connectForB(42 as any)).toThrow('connectVia() expects a function as receiver, got number 42')
    expect(connected).not.toHaveBeenCalled()
    const later = jest.fn((_sender: unknown, n: number) => -n)
    expect(connectForB(later)).toBe(later)
    expect(connected).toHaveBeenCalledTimes(1)
    connected.mockClear()
    expect(sig.send('b', 3)).toEqual([
      [first, 4],
      [later, -3],
    ])
    expect(sig.disconnect(later)).toBe(true)
    disconnected.mockClear()
    expectIntact()
  })
})

const badOptions: Array<[label: string, options: unknown, fragment: string]> = [
  ['null', null, 'got null'],
  ['a number', 5, 'got number 5'],
  ['a string', 'x', 'got string "x"'],
  ['an array', [], 'got an array'],
  ['a boolean', true, 'got boolean true'],
  ['an unknown key "wek"', { wek: true }, '"wek"'],
  ['weak not a boolean', { weak: 'yes' }, 'option "weak"'],
  ['weak 1', { weak: 1 }, 'option "weak"'],
  ['owner null', { owner: null }, 'option "owner"'],
  ['owner a string', { owner: 'me' }, 'option "owner"'],
  ['owner a symbol', { owner: Symbol('me') }, 'option "owner"'],
  ['owner a number', { owner: 7 }, 'option "owner"'],
  ['a misspelt key "sendr"', { sendr: 1 }, '"sendr"'],
  ['an unknown key next to valid ones', { priority: 1, onError: () => {} }, '"onError"'],
  ['priority NaN', { priority: Number.NaN }, 'priority'],
  ['priority Infinity', { priority: Number.POSITIVE_INFINITY }, 'priority'],
  ['priority -Infinity', { priority: Number.NEGATIVE_INFINITY }, 'priority'],
  ['priority "1"', { priority: '1' }, 'priority'],
  ['priority null', { priority: null }, 'priority'],
  ['once "yes"', { once: 'yes' }, 'once'],
  ['once 1', { once: 1 }, 'once'],
  ['once null', { once: null }, 'once'],
  ['signal {}', { signal: {} }, 'signal'],
  ['signal "x"', { signal: 'x' }, 'signal'],
  ['signal null', { signal: null }, 'signal'],
  ['signal as a plain object with aborted', { signal: { aborted: false } }, 'signal'],
  ['signal as an AbortController', { signal: new AbortController() }, 'signal'],
]

type OptionsTaker = (
  sig: Signal<number, unknown>,
  options: any,
  receiver: (sender: unknown, n: number) => unknown,
) => unknown

const optionsTakers: Array<[method: string, call: OptionsTaker]> = [
  ['connect', (sig, options, receiver) => sig.connect(receiver, options)],
  ['connectedTo', (sig, options, receiver) => sig.connectedTo(receiver, options)],
  [
    'connectedTo',
    (sig, options, receiver) =>
      sig.connectedTo(receiver, options, () => {
        throw new Error('the body must not run')
      }),
  ],
  // Throws at once: the returned function is never called.
  ['connectVia', (sig, options) => sig.connectVia('a', options)],
  ['connectVia', (sig, options, receiver) => sig.connectVia(undefined, options)(receiver)],
]

const optionsCases = optionsTakers.flatMap(([method, call]) =>
  badOptions.map(([label, options, fragment]) => [method, label, call, options, fragment] as const),
)

describe('bad connect options', () => {
  test.each(optionsCases)(
    '%s() rejects %s and connects nothing',
    (method, _label, call, options, fragment) => {
      const { sig, expectIntact } = fixture()
      const receiver = jest.fn()
      const message = typeErrorMessage(() => call(sig, options, receiver))
      expect(message).toContain(`${method}()`)
      expect(message).toContain(fragment)
      expect(receiver).not.toHaveBeenCalled()
      expect(sig.receiversFor('a')).not.toContain(receiver)
      expectIntact()
    },
  )

  test('connect() names the bad value of an option', () => {
    const sig = new Signal()
    expect(() => sig.connect(() => {}, { priority: Number.NaN })).toThrow('got number NaN')
    // @ts-expect-error priority is a number
    expect(() => sig.connect(() => {}, { priority: '1' })).toThrow('got string "1"')
    // @ts-expect-error once is a boolean
    expect(() => sig.connect(() => {}, { once: 'yes' })).toThrow('got string "yes"')
    // @ts-expect-error signal is an AbortSignal
    expect(() => sig.connect(() => {}, { signal: {} })).toThrow(/"signal".*got an object/)
    expect(sig.receiverCount).toBe(0)
  })

  test('connect() rejects options that are not declared at compile time too', () => {
    const sig = new Signal()
    // @ts-expect-error "weakly" is not an option
    expect(() => sig.connect(() => {}, { weakly: true })).toThrow(/unknown option "weakly"/)
    // @ts-expect-error owner is an object
    expect(() => sig.connect(() => {}, { owner: 'me' })).toThrow(/option "owner"/)
    // @ts-expect-error options are an object
    expect(() => sig.connect(() => {}, 5)).toThrow(TypeError)
    expect(sig.receiverCount).toBe(0)
  })

  test('connect() lists the valid options when it meets an unknown one', () => {
    const sig = new Signal()
    const message = typeErrorMessage(() => sig.connect(() => {}, { sendr: 1 } as any))
    for (const option of ['sender', 'once', 'priority', 'signal']) expect(message).toContain(`"${option}"`)
  })

  test('connectedTo() with three arguments rejects a function in the options place', () => {
    const { sig, expectIntact } = fixture()
    const receiver = jest.fn()
    const notOptions = jest.fn(() => 'not options')
    const body = jest.fn(() => 'body')
    const message = typeErrorMessage(() => sig.connectedTo(receiver, notOptions as any, body))
    expect(message).toContain('connectedTo()')
    expect(message).toContain('options')
    expect(notOptions).not.toHaveBeenCalled()
    expect(body).not.toHaveBeenCalled()
    expect(receiver).not.toHaveBeenCalled()
    expectIntact()
  })

  test('a rejected reconnect keeps the existing connection and its options', () => {
    const { sig, first, expectIntact } = fixture()
    expect(() => sig.connect(first, { priority: Number.NaN })).toThrow(TypeError)
    expect(() => sig.connect(first, { once: 1 } as any)).toThrow(TypeError)
    expect(() => sig.connect(first, { priority: -5, weak: 'yes' } as any)).toThrow(TypeError)
    expect(() => sig.connect(first, { priority: -5, owner: 5 } as any)).toThrow(TypeError)
    // still priority 1 (first runs before the priority-0 receiver), still not once
    expectIntact()
    expectIntact()
  })

  test('a rejected connect with an AbortSignal does not listen to it', () => {
    const { sig, first, expectIntact } = fixture()
    const controller = new AbortController()
    expect(() => sig.connect(first, { signal: controller.signal, priority: Number.NaN })).toThrow(TypeError)
    controller.abort()
    expectIntact()
  })

  test('an options getter that throws propagates its error and connects nothing', () => {
    const { sig, expectIntact } = fixture()
    const boom = new Error('getter failed')
    const options = {
      get priority(): number {
        throw boom
      },
    }
    expect(thrownBy(() => sig.connect(jest.fn(), options))).toBe(boom)
    expectIntact()
  })
})

describe('bad disconnect options', () => {
  test.each<[string, unknown, string]>([
    ['priority', { priority: 1 }, '"priority"'],
    ['once', { once: true }, '"once"'],
    ['signal', { signal: new AbortController().signal }, '"signal"'],
    ['a misspelt sender', { sendr: 'a' }, '"sendr"'],
    ['null', null, 'got null'],
    ['a number', 5, 'got number 5'],
    ['a string', 'a', 'got string "a"'],
    ['an array', ['a'], 'got an array'],
  ])('disconnect() rejects %s and removes nothing', (_label, options, fragment) => {
    const { sig, first, second, expectIntact } = fixture()
    for (const receiver of [first, second]) {
      const message = typeErrorMessage(() => sig.disconnect(receiver, options as any))
      expect(message).toContain('disconnect()')
      expect(message).toContain(fragment)
    }
    expectIntact()
  })

  test('disconnect() takes only a sender at compile time too', () => {
    const { sig, first, expectIntact } = fixture()
    // @ts-expect-error only `sender` is a disconnect option
    expect(() => sig.disconnect(first, { priority: 1 })).toThrow(
      /disconnect\(\) got an unknown option "priority"/,
    )
    expectIntact()
  })
})

describe('connectVia', () => {
  test('connectVia() rejects a sender given as option', () => {
    const { sig, expectIntact } = fixture()
    // @ts-expect-error the sender is the first argument
    expect(() => sig.connectVia('a', { sender: 'b' })).toThrow(TypeError)
    expect(() => sig.connectVia(undefined, { sender: 'b' } as any)).toThrow(/connectVia\(\).*sender/)
    expectIntact()
  })

  test('connectVia() checks its options at once, before the returned function is called', () => {
    const { sig, expectIntact } = fixture()
    expect(() => sig.connectVia(undefined, { priority: Number.NaN })).toThrow(TypeError)
    expect(() => sig.connectVia(undefined, { priority: Number.NaN })).toThrow(/priority/)
    // @ts-expect-error once is a boolean
    expect(() => sig.connectVia(ANY, { once: 'yes' })).toThrow(/once/)
    expectIntact()
  })
})

describe('bodies that are not functions', () => {
  test.each<[string, unknown, string]>([
    ['a number', 5, 'got number 5'],
    ['a string', 'not a function', 'got string "not a function"'],
    ['null', null, 'got null'],
    ['undefined', undefined, 'got undefined'],
    ['an object', {}, 'got an object'],
    ['a promise', Promise.resolve(), 'got a Promise'],
  ])('muted() rejects %s as body and stays unmuted', (_label, body, description) => {
    const { sig, expectIntact } = fixture()
    const message = typeErrorMessage(() => sig.muted(body as any))
    expect(message).toContain('muted()')
    expect(message).toContain('body')
    expect(message).toContain(description)
    expectIntact()
  })

  test('muted() rejects a number at compile time too', () => {
    const sig = new Signal()
    // @ts-expect-error the body is a function
    expect(() => sig.muted(5)).toThrow(/muted\(\) expects a function as body, got number 5/)
    expect(sig.isMuted).toBe(false)
  })

  test.each<[string, unknown, string]>([
    ['a string', 'not a function', 'got string "not a function"'],
    ['undefined', undefined, 'got undefined'],
    ['null', null, 'got null'],
    ['a number', 0, 'got number 0'],
  ])('connectedTo() rejects %s as body and connects nothing', (_label, body, description) => {
    const { sig, expectIntact } = fixture()
    const receiver = jest.fn()
    const message = typeErrorMessage(() => sig.connectedTo(receiver, undefined, body as any))
    expect(message).toContain('connectedTo()')
    expect(message).toContain('body')
    expect(message).toContain(description)
    expect(() => sig.connectedTo(receiver, { sender: 'a' }, body as any)).toThrow(/body/)
    expect(receiver).not.toHaveBeenCalled()
    expectIntact()
  })

  test('connectedTo() rejects a string body at compile time too', () => {
    const sig = new Signal()
    // @ts-expect-error the body is a function
    expect(() => sig.connectedTo(() => {}, undefined, 'not a function')).toThrow(TypeError)
    expect(sig.receiverCount).toBe(0)
  })
})

describe('signal and namespace names', () => {
  test.each<[string, unknown, string]>([
    ['a number', 5, 'got number 5'],
    ['null', null, 'got null'],
    ['an object', {}, 'got an object'],
    ['a symbol', Symbol('doc'), 'got symbol Symbol(doc)'],
    ['a boolean', false, 'got boolean false'],
  ])('new Signal() rejects %s as doc', (_label, doc, description) => {
    const message = typeErrorMessage(() => new Signal(doc as any))
    expect(message).toContain('Signal()')
    expect(message).toContain('doc')
    expect(message).toContain(description)
  })

  test('new Signal() rejects a number doc at compile time too', () => {
    // @ts-expect-error the doc is a string
    expect(() => new Signal(5)).toThrow(/doc.*got number 5/)
    expect(new Signal(undefined).doc).toBeUndefined()
  })

  test.each<[string, unknown, string]>([
    ['a number', 5, 'got number 5'],
    ['undefined', undefined, 'got undefined'],
    ['null', null, 'got null'],
    ['an object', {}, 'got an object'],
    ['an array', ['a'], 'got an array'],
  ])('new NamedSignal() rejects %s as name', (_label, name, description) => {
    const message = typeErrorMessage(() => new NamedSignal(name as any))
    expect(message).toContain('NamedSignal()')
    expect(message).toContain('name')
    expect(message).toContain(description)
  })

  test('new NamedSignal() rejects a number name at compile time and a non-string doc', () => {
    // @ts-expect-error the name is a string or a symbol
    expect(() => new NamedSignal(5)).toThrow(TypeError)
    // @ts-expect-error the doc is a string
    expect(() => new NamedSignal('a', 5)).toThrow(/doc/)
  })

  test.each<[string, unknown, string]>([
    ['a number', 5, 'got number 5'],
    ['undefined', undefined, 'got undefined'],
    ['null', null, 'got null'],
    ['an object', {}, 'got an object'],
    ['a function', function named() {}, 'got function named'],
  ])('namespace.signal() and namespace.has() reject %s as name', (_label, name, description) => {
    const ns = new Namespace()
    ns.signal('kept')
    for (const [method, call] of [
      ['signal', () => ns.signal(name as any)],
      ['has', () => ns.has(name as any)],
    ] as const) {
      const message = typeErrorMessage(call)
      expect(message).toContain(`${method}()`)
      expect(message).toContain('name')
      expect(message).toContain(description)
    }
    expect(ns.names()).toEqual(['kept'])
    expect(ns.size).toBe(1)
  })

  test('namespace.signal(), namespace.has() and signal() reject bad names at compile time too', () => {
    const ns = new Namespace()
    // @ts-expect-error the name is a string or a symbol
    expect(() => ns.signal(5)).toThrow(/name/)
    // @ts-expect-error the name is a string or a symbol
    expect(() => ns.has(null)).toThrow(/has\(\) expects .*name, got null/)
    // @ts-expect-error the name is a string or a symbol
    expect(() => signal({})).toThrow(/signal\(\) expects .*name, got an object/)
    expect(ns.size).toBe(0)
  })

  test('namespace.signal() with a non-string doc creates nothing', () => {
    const ns = new Namespace()
    expect(() => ns.signal('a', 5 as any)).toThrow(TypeError)
    expect(() => ns.signal('a', 5 as any)).toThrow(/doc/)
    expect(ns.has('a')).toBe(false)
    expect(ns.names()).toEqual([])
    const created = ns.signal('a', 'the real doc')
    expect(() => ns.signal('a', {} as any)).toThrow(/doc/)
    expect(ns.signal('a')).toBe(created)
    expect(created.doc).toBe('the real doc')
  })

  test("names like '__proto__', 'constructor', '' and symbols are ordinary names", () => {
    const prototypeKeys = Reflect.ownKeys(Object.prototype)
    const ns = new Namespace()
    const symbolName = Symbol('private')
    const names: Array<string | symbol> = [
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      '',
      symbolName,
    ]
    for (const name of names) expect(ns.has(name)).toBe(false)
    expect(ns.names()).toEqual([])

    const signals = names.map((name) => ns.signal<number>(name))
    expect(new Set(signals).size).toBe(names.length)
    signals.forEach((sig, index) => {
      expect(sig).toBeInstanceOf(NamedSignal)
      expect(sig.name).toBe(names[index])
      expect(ns.signal(names[index] as string | symbol)).toBe(sig)
      expect(ns.has(names[index] as string | symbol)).toBe(true)
    })
    expect(ns.names()).toEqual(names)
    expect(ns.size).toBe(names.length)
    expect([...ns]).toHaveLength(signals.length)
    ;[...ns].forEach((sig, index) => expect(sig).toBe(signals[index]))

    const proto = ns.signal<number>('__proto__')
    const receiver = jest.fn((_sender: unknown, n: number) => n * 2)
    proto.connect(receiver)
    expect(proto.send(undefined, 21)).toEqual([[receiver, 42]])
    expect(ns.signal('constructor').receiverCount).toBe(0)

    expect(Reflect.ownKeys(Object.prototype)).toEqual(prototypeKeys)
    expect(({} as any).__proto__).toBe(Object.prototype)
    expect(({} as any).constructor).toBe(Object)
    expect(typeof ({} as any).toString).toBe('function')
    expect(Object.getPrototypeOf(ns)).toBe(Namespace.prototype)
  })

  test('a fresh namespace does not know names that exist on Object.prototype', () => {
    const ns = new Namespace()
    for (const name of [
      '__proto__',
      'constructor',
      'toString',
      'valueOf',
      'hasOwnProperty',
      '__defineGetter__',
    ]) {
      expect(ns.has(name)).toBe(false)
    }
    expect(ns.size).toBe(0)
  })
})

describe('too many send arguments', () => {
  test.each(['send', 'emit', 'sendRobust'] as const)(
    '%s(1, 2, 3) throws a TypeError and calls nothing',
    (method) => {
      const { sig, first, second, expectIntact } = fixture()
      const message = typeErrorMessage(() => (sig as any)[method](1, 2, 3))
      expect(message).toContain(`${method}()`)
      expect(message).toContain('3 arguments')
      expect(first).not.toHaveBeenCalled()
      expect(second).not.toHaveBeenCalled()
      expect(() => (sig as any)[method]('a', 1, undefined)).toThrow(TypeError)
      expect(first).not.toHaveBeenCalled()
      expectIntact()
    },
  )

  test('send() takes a sender and a payload at compile time too', () => {
    const sig = new Signal<number, number>()
    const receiver = jest.fn()
    sig.connect(receiver)
    // @ts-expect-error one sender and one payload
    expect(() => sig.send(1, 2, 3)).toThrow(TypeError)
    expect(receiver).not.toHaveBeenCalled()
    expect(sig.send(1, 2)).toEqual([[receiver, undefined]])
  })
})

describe('Signal.maxSendDepth', () => {
  afterEach(() => {
    Signal.maxSendDepth = 100
  })

  test.each([0, 1.5, Number.NaN, -1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53])(
    'rejects %p with a RangeError and keeps its value',
    (depth) => {
      expect(Signal.maxSendDepth).toBe(100)
      Signal.maxSendDepth = 7
      expect(() => {
        Signal.maxSendDepth = depth
      }).toThrow(RangeError)
      expect(() => {
        Signal.maxSendDepth = depth
      }).toThrow(/maxSendDepth/)
      expect(Signal.maxSendDepth).toBe(7)
      const { expectIntact } = fixture()
      expectIntact()
    },
  )

  test('rejects a non-number with a TypeError (as Node does), at compile time too', () => {
    expect(() => {
      // @ts-expect-error the depth is a number
      Signal.maxSendDepth = '5'
    }).toThrow(new TypeError('Signal.maxSendDepth must be a positive integer, got string "5"'))
    expect(Signal.maxSendDepth).toBe(100)
  })
})

describe('revoked proxies', () => {
  function revokedFunction(): (sender: unknown, n: number) => unknown {
    const { proxy, revoke } = Proxy.revocable(() => {}, {})
    revoke()
    return proxy
  }

  function revokedObject(): object {
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    return proxy
  }

  test.each<[string, ReceiverTaker]>([
    ['connect()', (sig, receiver) => sig.connect(receiver)],
    ['connect() for a sender', (sig, receiver) => sig.connect(receiver, { sender: 'z' })],
    ['connectedTo()', (sig, receiver) => sig.connectedTo(receiver)],
    ['connectedTo() with a body', (sig, receiver) => sig.connectedTo(receiver, () => sig.send('a', 1))],
    ['connectVia()', (sig, receiver) => sig.connectVia('a')(receiver)],
  ])('%s rejects a revoked proxy as receiver', (_label, call) => {
    const { sig, expectIntact } = fixture()
    expect(() => call(sig, revokedFunction())).toThrow(TypeError)
    expectIntact()
    expect(sig.hasReceiversFor('z')).toBe(true) // the ANY receiver, nothing for 'z' itself
    expect(sig.receiversFor('z')).toHaveLength(1)
  })

  type OptionsCall = (
    sig: Signal<number, unknown>,
    options: any,
    receiver: (sender: unknown, n: number) => unknown,
  ) => unknown

  const optionsCalls: Array<[string, OptionsCall]> = [
    ['connect()', (sig, options, receiver) => sig.connect(receiver, options)],
    [
      'connectedTo() with a body',
      (sig, options, receiver) => sig.connectedTo(receiver, options, () => sig.send('a', 1)),
    ],
    ['connectVia()', (sig, options) => sig.connectVia('a', options)],
    ['disconnect()', (sig, options, receiver) => sig.disconnect(receiver, options)],
  ]

  const revokedOptionsCases = optionsCalls.flatMap(([method, call]) =>
    (
      [
        ['a revoked function proxy', revokedFunction],
        ['a revoked object proxy', revokedObject],
      ] as const
    ).map(([label, makeOptions]) => [method, label, call, makeOptions] as const),
  )

  test.each(revokedOptionsCases)('%s rejects %s as options', (_method, _label, call, makeOptions) => {
    const { sig, first, expectIntact } = fixture()
    const receiver = jest.fn()
    expect(() => call(sig, makeOptions(), receiver)).toThrow(TypeError)
    expect(() => call(sig, makeOptions(), first)).toThrow(TypeError)
    expect(receiver).not.toHaveBeenCalled()
    expectIntact()
  })

  test('a receiver proxy revoked after connecting fails as a receiver and can still be disconnected', () => {
    const { sig, first, second, connected, disconnected, expectIntact } = fixture()
    const { proxy, revoke } = Proxy.revocable((_sender: unknown, n: number) => n, {})
    sig.connect(proxy, { sender: 'a', priority: -1 })
    expect(sig.send('a', 2)).toEqual([
      [first, 3],
      [second, 20],
      [proxy, 2],
    ])
    revoke()
    expect(() => sig.send('a', 2)).toThrow(TypeError)
    expect(sig.receiverCount).toBe(3)
    expect(sig.disconnect(proxy)).toBe(true)
    expect(sig.disconnect(proxy)).toBe(false)
    expect(connected).toHaveBeenCalledTimes(1)
    expect(disconnected).toHaveBeenCalledTimes(1)
    connected.mockClear()
    disconnected.mockClear()
    expectIntact()
  })
})

describe('unusual but valid options', () => {
  test('frozen options objects work', () => {
    const { sig, first, second, connected } = fixture()
    const early = jest.fn((_sender: unknown, n: number) => `early ${n}`)
    const options = Object.freeze({ priority: 2, sender: 'a' })
    expect(sig.connect(early, options)).toBe(early)
    expect(connected).toHaveBeenCalledTimes(1)
    expect(sig.send('a', 1)).toEqual([
      [early, 'early 1'],
      [first, 2],
      [second, 10],
    ])
    expect(sig.send('b', 1)).toEqual([[first, 2]])
    expect(sig.disconnect(early, Object.freeze({ sender: 'a' }))).toBe(true)
    expect(sig.receiverCount).toBe(2)
    expect(Object.isFrozen(options)).toBe(true)
    expect(options).toEqual({ priority: 2, sender: 'a' })
  })

  test('frozen options work for connectedTo() and connectVia()', () => {
    const { sig, first, second } = fixture()
    const scoped = jest.fn(() => 'scoped')
    const result = sig.connectedTo(scoped, Object.freeze({ priority: 5, once: false }), () =>
      sig.send('a', 1),
    )
    expect(result).toEqual([
      [scoped, 'scoped'],
      [first, 2],
      [second, 10],
    ])
    const via = sig.connectVia('b', Object.freeze({ priority: 5 }))(jest.fn(() => 'via'))
    expect(sig.send('b', 1)).toEqual([
      [via, 'via'],
      [first, 2],
    ])
    expect(sig.receiverCount).toBe(3)
  })

  test('options with a null prototype work', () => {
    const { sig, first, second } = fixture()
    const options = Object.assign(Object.create(null) as object, { priority: 2, sender: 'a' })
    const early = jest.fn(() => 'early')
    sig.connect(early, options)
    expect(sig.send('a', 1)).toEqual([
      [early, 'early'],
      [first, 2],
      [second, 10],
    ])
    expect(sig.disconnect(early, Object.assign(Object.create(null) as object, { sender: 'a' }))).toBe(true)
    expect(sig.receiverCount).toBe(2)
  })

  test('options inherited through a prototype chain are honoured', () => {
    const { sig, first, second } = fixture()
    const early = jest.fn(() => 'early')
    sig.connect(early, Object.create({ priority: 2 }) as object)
    expect(sig.send('a', 1)).toEqual([
      [early, 'early'],
      [first, 2],
      [second, 10],
    ])

    class Options {
      get priority(): number {
        return 3
      }
      get once(): boolean {
        return true
      }
    }
    const once = jest.fn(() => 'once')
    sig.connect(once, new Options())
    expect(sig.send('b', 1)).toEqual([
      [once, 'once'],
      [early, 'early'],
      [first, 2],
    ])
    expect(sig.send('b', 1)).toEqual([
      [early, 'early'],
      [first, 2],
    ])
  })

  test('an inherited sender option is honoured like the other inherited options', () => {
    const { sig, first } = fixture()
    const onlyC = jest.fn(() => 'c')
    sig.connect(onlyC, Object.create({ sender: 'c' }) as object)
    expect(sig.send('c', 1)).toEqual([
      [first, 2],
      [onlyC, 'c'],
    ])
    expect(sig.send('b', 1)).toEqual([[first, 2]])
    expect(onlyC).toHaveBeenCalledTimes(1)
  })

  test('an already aborted signal connects nothing and is not an error', () => {
    const { expectIntact, sig } = fixture()
    sig.connect(jest.fn(), { signal: AbortSignal.abort() })
    expectIntact()
  })
})

describe('hostile values get errors that name the argument (found by the bad-input sweep)', () => {
  function revoked<T extends object>(target: T): T {
    const { proxy, revoke } = Proxy.revocable(target, {})
    revoke()
    return proxy
  }

  test.each<[string, (sig: Signal<number, unknown>) => unknown]>([
    ['connect', (sig) => sig.connect(revoked(() => {}))],
    ['connectVia', (sig) => sig.connectVia('a')(revoked(() => {}))],
    [
      'connectedTo',
      (sig) =>
        sig.connectedTo(
          revoked(() => {}),
          () => {},
        ),
    ],
  ])('%s() says a revoked proxy cannot be a receiver', (method, call) => {
    const { sig, expectIntact } = fixture()
    expect(typeErrorMessage(() => call(sig))).toMatch(
      new RegExp(
        `^${method}\\(\\) expects a function as receiver, got a function that cannot be inspected \\(a revoked proxy\\?\\)`,
      ),
    )
    expectIntact()
  })

  test('connect() and disconnect() say revoked options cannot be read', () => {
    const { sig, first, expectIntact } = fixture()
    expect(typeErrorMessage(() => sig.connect(jest.fn(), revoked({})))).toMatch(
      /^connect\(\) expects an options object, got one that cannot be read \(a revoked proxy\?\)/,
    )
    expect(typeErrorMessage(() => sig.disconnect(first, revoked({})))).toMatch(
      /^disconnect\(\) expects an options object/,
    )
    expectIntact()
  })

  test('connect() names option "signal" when it is a revoked proxy', () => {
    const { sig, expectIntact } = fixture()
    expect(
      typeErrorMessage(() => sig.connect(jest.fn(), { signal: revoked(new AbortController().signal) })),
    ).toBe(
      'connect() expects an AbortSignal as option "signal", got an object that cannot be inspected (a revoked proxy?)',
    )
    expectIntact()
  })

  test('new NamedSignal() and namespace.signal() name themselves for a bad doc, not Signal()', () => {
    expect(typeErrorMessage(() => new NamedSignal('a', 5 as any))).toBe(
      'NamedSignal() expects a string as doc, got number 5',
    )
    const ns = new Namespace()
    expect(typeErrorMessage(() => ns.signal('new', null as any))).toBe(
      'signal() expects a string as doc, got null',
    )
    expect(ns.has('new')).toBe(false)
  })

  test('Signal.maxSendDepth describes a value that cannot be turned into a string', () => {
    expect(() => {
      Signal.maxSendDepth = Object.create(null)
    }).toThrow(new TypeError('Signal.maxSendDepth must be a positive integer, got an object'))
    expect(() => {
      Signal.maxSendDepth = revoked({}) as any
    }).toThrow(/^Signal\.maxSendDepth must be a positive integer, got an object that cannot be inspected/)
    expect(Signal.maxSendDepth).toBe(100)
    fixture().expectIntact()
  })
})
