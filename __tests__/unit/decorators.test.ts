// connectVia and receiver as calls on functions and as TC39 standard method decorators (ts-jest
// compiles this file with standard decorators: no experimentalDecorators).
import { ANY, disconnectOwner, receiver, Signal, signal } from 'signalry'
import { collectedWithin } from '../helpers/garbageCollection'

test('connectVia(sender)(fn) connects fn for that sender and returns it', () => {
  const saved = new Signal<string, string>()
  const seen: string[] = []
  const log = (table: string, name: string) => seen.push(`${table}:${name}`)
  expect(saved.connectVia('users')(log)).toBe(log)
  saved.send('users', 'ada')
  saved.send('orders', 'o1')
  expect(seen).toEqual(['users:ada'])
})

test('receiver(signals)(fn) connects fn to each signal and returns it', () => {
  const a = new Signal<number>()
  const b = new Signal<number>()
  const seen: number[] = []
  const log = (_: unknown, n: number) => seen.push(n)
  expect(receiver([a, b], { priority: 1 })(log)).toBe(log)
  a.send(undefined, 1)
  b.send(undefined, 2)
  expect(seen).toEqual([1, 2])
  expect(receiver(a)(log)).toBe(log)
  expect(a.receiverCount).toBe(1)
})

test('receiver(signal, { sender })(fn) filters on the sender', () => {
  const saved = new Signal<void, string>()
  const seen: string[] = []
  receiver(saved, { sender: 'users' })((table) => seen.push(table))
  saved.send('users')
  saved.send('orders')
  expect(seen).toEqual(['users'])
})

test('an array map over functions still connects each (the index is not a decorator context)', () => {
  const saved = new Signal()
  const first = () => 1
  const second = () => 2
  const connected = [first, second].map(saved.connectVia() as (fn: () => number) => () => number)
  expect(connected).toEqual([first, second])
  expect(saved.receiversFor(undefined)).toEqual([first, second])
})

describe('on an instance method', () => {
  test('each instance connects its own method, bound to the instance', () => {
    const moved = new Signal<number, string>()
    class Counter {
      total = 0
      constructor(readonly name: string) {}

      @moved.connectVia()
      add(_sender: string, steps: number) {
        this.total += steps
      }
    }
    expect(moved.receiverCount).toBe(0) // nothing connects at class definition
    const a = new Counter('a')
    const b = new Counter('b')
    expect(moved.receiverCount).toBe(2)
    moved.send('x', 3)
    expect([a.total, b.total]).toEqual([3, 3])
    const [first] = moved.receiversFor('x')
    expect(first).not.toBe(Counter.prototype.add) // a bound function per instance
  })

  test('`this` inside the method is the instance, also through receiver()', () => {
    const ping = new Signal()
    const seen: unknown[] = []
    class Node {
      @receiver(ping)
      onPing() {
        seen.push(this)
      }
    }
    const node = new Node()
    ping.send()
    expect(seen).toEqual([node])
    expect(seen[0]).toBe(node)
  })

  test('the instance is the owner: disconnectOwner(instance) removes all its decorated receivers', () => {
    const a = new Signal()
    const b = new Signal<void, string>()
    const seen: string[] = []
    class Widget {
      constructor(readonly name: string) {}

      @receiver([a, b])
      refresh() {
        seen.push(`${this.name} refresh`)
      }

      @b.connectVia('admin')
      audit() {
        seen.push(`${this.name} audit`)
      }
    }
    const kept = new Widget('kept')
    const dropped = new Widget('dropped')
    expect(disconnectOwner(dropped)).toBe(3)
    a.send()
    b.send('admin')
    expect(seen).toEqual(['kept refresh', 'kept refresh', 'kept audit'])
    expect(a.receiverCount + b.receiverCount).toBe(3)
    expect(disconnectOwner(kept)).toBe(3)
    expect(a.receiverCount + b.receiverCount).toBe(0)
  })

  test('sender filtering through the decorator', () => {
    const saved = new Signal<{ id: number }, string>()
    class Index {
      ids: number[] = []

      @saved.connectVia('users', { priority: 5 })
      reindex(_table: string, { id }: { id: number }) {
        this.ids.push(id)
      }
    }
    const index = new Index()
    saved.send('users', { id: 1 })
    saved.send('orders', { id: 2 })
    saved.send(ANY, { id: 3 })
    expect(index.ids).toEqual([1])
  })

  test('several signals on one method: a list, and stacked decorators', () => {
    const created = new Signal<string>()
    const updated = new Signal<string>()
    const deleted = new Signal<string>()
    class Audit {
      log: string[] = []

      @receiver([created, updated])
      @receiver(deleted)
      record(_: unknown, what: string) {
        this.log.push(what)
      }
    }
    const audit = new Audit()
    created.send(undefined, 'c')
    updated.send(undefined, 'u')
    deleted.send(undefined, 'd')
    expect(audit.log).toEqual(['c', 'u', 'd'])
  })

  test('a method decorated twice for the same signal and sender keeps one connection per instance', () => {
    const saved = new Signal()
    class Twice {
      calls = 0

      @receiver(saved)
      @saved.connectVia()
      count() {
        this.calls++
      }
    }
    const twice = new Twice()
    saved.send()
    expect(saved.receiverCount).toBe(1)
    expect(twice.calls).toBe(1)
  })

  test('instances of a subclass connect the decorated method too', () => {
    const saved = new Signal()
    const seen: string[] = []
    class Base {
      @receiver(saved)
      onSaved() {
        seen.push(`base on ${this.constructor.name}`)
      }
    }
    class Derived extends Base {
      override onSaved() {
        seen.push('override')
      }
    }
    new Derived()
    saved.send()
    expect(seen).toEqual(['base on Derived'])
  })

  test('private methods can be decorated', () => {
    const saved = new Signal<string>()
    class Secret {
      seen: string[] = []

      @receiver(saved)
      #onSaved(_: unknown, name: string) {
        this.seen.push(name)
      }
    }
    const secret = new Secret()
    saved.send(undefined, 'x')
    expect(secret.seen).toEqual(['x'])
  })

  test('an instance is collected after it is dropped: its receivers do not keep it alive', async () => {
    const tick = signal<number>('decorators.test.tick')
    class Listener {
      readonly buffer = new Array<number>(1000).fill(0)

      @receiver(tick)
      onTick(_: unknown, n: number) {
        this.buffer[0] = n
      }
    }
    let listener: Listener | undefined = new Listener()
    const ref = new WeakRef(listener)
    tick.send(undefined, 1)
    expect(listener.buffer[0]).toBe(1)
    listener = undefined
    expect(await collectedWithin(ref)).toBe(true)
    tick.send(undefined, 2)
    expect(tick.receiverCount).toBe(0)
  })
})

describe('on a static method', () => {
  test('connects once, when the class is defined, with the class as `this` and as owner', () => {
    const booted = new Signal<string>()
    const seen: unknown[] = []
    class Registry {
      static started: string[] = []

      @booted.connectVia()
      static onBoot(_: unknown, name: string) {
        seen.push(this)
        this.started.push(name)
      }
    }
    expect(booted.receiverCount).toBe(1)
    new Registry()
    new Registry()
    expect(booted.receiverCount).toBe(1)
    booted.send(undefined, 'api')
    expect(seen).toEqual([Registry])
    expect(Registry.started).toEqual(['api'])
    expect(disconnectOwner(Registry)).toBe(1)
    expect(booted.receiverCount).toBe(0)
  })
})

describe('bad use', () => {
  test('decorating something other than a method is a TypeError naming it', () => {
    const saved = new Signal()
    const decorate = receiver(saved) as unknown as (value: unknown, context: unknown) => void
    const fieldContext = {
      kind: 'field',
      name: 'handler',
      static: false,
      private: false,
      addInitializer() {},
    }
    expect(() => decorate(undefined, fieldContext)).toThrow(
      new TypeError(
        'receiver() decorates methods, not the field handler; connect a function with receiver(...)(fn) instead',
      ),
    )
    expect(() =>
      (saved.connectVia() as unknown as (value: unknown, context: unknown) => void)(() => {}, {
        ...fieldContext,
        kind: 'getter',
      }),
    ).toThrow(/connectVia\(\) decorates methods, not the getter handler/)
    expect(saved.receiverCount).toBe(0)
  })

  test('an owner option on a decorated method is a TypeError: the instance is the owner', () => {
    const saved = new Signal()
    const decorate = receiver(saved, { owner: {} }) as unknown as (value: unknown, context: unknown) => void
    const methodContext = {
      kind: 'method',
      name: 'onSaved',
      static: false,
      private: false,
      addInitializer() {},
    }
    expect(() => decorate(() => {}, methodContext)).toThrow(
      new TypeError(
        'receiver() on method onSaved takes no option "owner": the instance (the class, for a static method) is the owner',
      ),
    )
  })

  test('receiver() checks its signals and options at once', () => {
    const saved = new Signal()
    expect(() => receiver([] as never)).toThrow(
      new TypeError('receiver() expects a signal or a non-empty array of signals, got an empty array'),
    )
    expect(() => receiver('user.created' as never)).toThrow(
      /^receiver\(\) expects a signal or an array of signals, got string/,
    )
    expect(() => receiver([saved, {}] as never)).toThrow(
      /^receiver\(\) expects a signal or an array of signals, got/,
    )
    expect(() => receiver(saved, { priorty: 1 } as never)).toThrow(
      /receiver\(\) got an unknown option "priorty"/,
    )
    expect(() => receiver(saved)('nope' as never)).toThrow(
      /^receiver\(\) expects a function as receiver, got string/,
    )
    expect(saved.receiverCount).toBe(0)
  })

  test('connectVia() checks the function it gets', () => {
    const saved = new Signal()
    expect(() => saved.connectVia()(42 as never)).toThrow(
      /^connectVia\(\) expects a function as receiver, got number/,
    )
  })
})
