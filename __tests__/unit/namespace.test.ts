import { defaultNamespace, NamedSignal, Namespace, Signal, signal } from 'signalry'

test('signal(name) returns the same signal for the same name', () => {
  const a = signal('namespace-test.same')
  expect(signal('namespace-test.same')).toBe(a)
  expect(signal('namespace-test.other')).not.toBe(a)
})

test('signal(name) is the default namespace\u2019s signal(name)', () => {
  const created = signal('namespace-test.default')
  expect(defaultNamespace.signal('namespace-test.default')).toBe(created)
  expect(defaultNamespace.has('namespace-test.default')).toBe(true)
})

test('the default namespace lives on globalThis under a versioned registered symbol', () => {
  const state = (globalThis as unknown as Record<symbol, { protocol: number; defaultNamespace: unknown }>)[
    Symbol.for('signalry.processState@1')
  ]
  expect(state?.protocol).toBe(1)
  expect(state?.defaultNamespace).toBe(defaultNamespace)
})

test('named signals are NamedSignals with their name, and Signals', () => {
  const named = new Namespace().signal('order.paid')
  expect(named).toBeInstanceOf(NamedSignal)
  expect(named).toBeInstanceOf(Signal)
  expect(named.name).toBe('order.paid')
  expect(String(named)).toBe('NamedSignal("order.paid")')
})

test('only the first call\u2019s doc is kept', () => {
  const ns = new Namespace()
  const first = ns.signal('doc.kept', 'the first doc')
  expect(ns.signal('doc.kept', 'another doc')).toBe(first)
  expect(first.doc).toBe('the first doc')
  expect(ns.signal('doc.absent').doc).toBeUndefined()
})

test('a new namespace is empty, and separate from others', () => {
  const ns = new Namespace()
  expect(ns.size).toBe(0)
  expect(ns.names()).toEqual([])
  expect([...ns]).toEqual([])
  const other = new Namespace()
  expect(ns.signal('x')).not.toBe(other.signal('x'))
  expect(ns.signal('x')).not.toBe(signal('x'))
})

test('has, names, size and iteration reflect the signals created, in creation order', () => {
  const ns = new Namespace()
  const sym = Symbol('internal')
  const b = ns.signal('b')
  const a = ns.signal('a')
  const s = ns.signal(sym)
  ns.signal('b')
  expect(ns.has('a')).toBe(true)
  expect(ns.has(sym)).toBe(true)
  expect(ns.has('c')).toBe(false)
  expect(ns.names()).toEqual(['b', 'a', sym])
  expect(ns.size).toBe(3)
  expect([...ns]).toEqual([b, a, s])
})

test('names() returns a copy', () => {
  const ns = new Namespace()
  ns.signal('a')
  ns.names().push('not a signal')
  expect(ns.names()).toEqual(['a'])
})

test('signals stay in their namespace for good, so module-level receivers stay connected', () => {
  const ns = new Namespace()
  ns.signal('kept').connect(() => 'still here')
  expect(ns.signal('kept').send()).toEqual([[expect.any(Function), 'still here']])
})

test('names that are Object.prototype keys are ordinary names', () => {
  const ns = new Namespace()
  const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '']
  const signals = names.map((name) => ns.signal(name))
  expect(new Set(signals).size).toBe(names.length)
  names.forEach((name, index) => {
    expect(ns.has(name)).toBe(true)
    expect(ns.signal(name)).toBe(signals[index])
    expect(signals[index]?.name).toBe(name)
  })
  expect(Object.keys(Object.prototype)).toEqual([])
})

test('string and symbol names with the same description are different signals', () => {
  const ns = new Namespace()
  expect(ns.signal('x')).not.toBe(ns.signal(Symbol('x')))
  expect(ns.signal(Symbol.for('x'))).toBe(ns.signal(Symbol.for('x')))
})

test('a NamedSignal made directly belongs to no namespace', () => {
  const ns = new Namespace()
  const loose = new NamedSignal('loose')
  expect(ns.signal('loose')).not.toBe(loose)
  expect(loose.name).toBe('loose')
})

test('instanceof recognises branded objects from another copy of the library', () => {
  const foreign = Object.create(null) as Record<symbol, unknown>
  Object.defineProperty(foreign, Symbol.for('signalry.Signal@1'), { value: true })
  expect(foreign).toBeInstanceOf(Signal)
  expect(foreign).not.toBeInstanceOf(NamedSignal)
  expect({}).not.toBeInstanceOf(Signal)
  expect(new Namespace()).toBeInstanceOf(Namespace)
  expect(new Signal()).not.toBeInstanceOf(NamedSignal)
  expect(null).not.toBeInstanceOf(Namespace)
  class Custom extends Signal {}
  expect(new Custom()).toBeInstanceOf(Custom)
  expect(new Signal()).not.toBeInstanceOf(Custom)
})

describe('signalCreated', () => {
  test('is sent once per created signal, with the namespace as sender and the new signal as payload', () => {
    const ns = new Namespace()
    const seen: Array<[unknown, unknown]> = []
    ns.signalCreated.connect((sender, created) => seen.push([sender, created]))
    const first = ns.signal('created.first')
    ns.signal('created.first')
    const second = ns.signal(Symbol.for('created.second'))
    expect(seen).toEqual([
      [ns, first],
      [ns, second],
    ])
  })

  test('its receivers see the new signal already registered', () => {
    const ns = new Namespace()
    let registered: boolean | undefined
    ns.signalCreated.connect((_, created) => {
      registered = ns.has(created.name)
    })
    ns.signal('created.registered')
    expect(registered).toBe(true)
  })

  test('signals created before a receiver connected are not reported', () => {
    const ns = new Namespace()
    ns.signal('created.early')
    const names: Array<string | symbol> = []
    ns.signalCreated.connect((_, created) => names.push(created.name))
    ns.signal('created.late')
    expect(names).toEqual(['created.late'])
  })

  test('is one signal per namespace, separate from other namespaces', () => {
    const a = new Namespace()
    const b = new Namespace()
    expect(a.signalCreated).toBe(a.signalCreated)
    expect(a.signalCreated).not.toBe(b.signalCreated)
    const seen: unknown[] = []
    a.signalCreated.connect((sender) => seen.push(sender))
    b.signal('created.elsewhere')
    expect(seen).toEqual([])
  })

  test('a receiver that throws makes signal() throw, and the signal stays created', () => {
    const ns = new Namespace()
    ns.signalCreated.connect(() => {
      throw new Error('watcher failed')
    })
    expect(() => ns.signal('created.despite')).toThrow('watcher failed')
    expect(ns.has('created.despite')).toBe(true)
  })
})
