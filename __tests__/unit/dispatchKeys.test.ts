// Dispatch keys (`connect(receiver, { key })`, Django's dispatch_uid): one connection per key and
// sender, replaced in place when module code runs again.
import { ANY, receiver, Signal } from 'signalry'

/** What a module that connects a receiver at its top level does each time it is evaluated. */
function evaluateModule(saved: Signal<string>, version: number, seen: string[]): void {
  saved.connect((_, name) => seen.push(`v${version} ${name}`), { key: 'audit' })
}

test('a module evaluated three times with a keyed receiver leaves one receiver: the newest', () => {
  const saved = new Signal<string>()
  const seen: string[] = []
  evaluateModule(saved, 1, seen)
  evaluateModule(saved, 2, seen)
  evaluateModule(saved, 3, seen)
  expect(saved.receiverCount).toBe(1)
  saved.send(undefined, 'a')
  expect(seen).toEqual(['v3 a'])
})

test('the replacing receiver keeps the replaced one’s place in the call order', () => {
  const saved = new Signal()
  const calls: string[] = []
  saved.connect(() => calls.push('first'))
  saved.connect(() => calls.push('keyed v1'), { key: 'k' })
  saved.connect(() => calls.push('last'))
  saved.connect(() => calls.push('keyed v2'), { key: 'k' })
  saved.send()
  expect(calls).toEqual(['first', 'keyed v2', 'last'])
})

test('one connection per key and sender: the same key for another sender is another connection', () => {
  const saved = new Signal<void, string>()
  const calls: string[] = []
  saved.connect(() => calls.push('a'), { key: 'k', sender: 'a' })
  saved.connect(() => calls.push('b'), { key: 'k', sender: 'b' })
  saved.connect(() => calls.push('b2'), { key: 'k', sender: 'b' })
  expect(saved.receiverCount).toBe(2)
  saved.send('a')
  saved.send('b')
  expect(calls).toEqual(['a', 'b2'])
})

test('a replacement is reported as a disconnect with reason "replaced", then as a connect', () => {
  const saved = new Signal()
  const events: string[] = []
  saved.receiverDisconnected.connect((_, { receiver, reason }) =>
    events.push(`- ${receiver?.name} ${reason}`),
  )
  saved.receiverConnected.connect((_, { receiver, options }) =>
    events.push(`+ ${receiver.name} ${String(options.key)}`),
  )
  saved.connect(function v1() {}, { key: 'k' })
  saved.connect(function v2() {}, { key: 'k' })
  expect(events).toEqual(['+ v1 k', '- v1 replaced', '+ v2 k'])
})

test('the replacing connect’s options win: priority, once and lifetime', () => {
  const saved = new Signal()
  const calls: string[] = []
  saved.connect(() => calls.push('other'), { priority: 1 })
  saved.connect(() => calls.push('v1'), { key: 'k' })
  saved.connect(() => calls.push('v2'), { key: 'k', priority: 2, once: true })
  saved.send()
  saved.send()
  expect(calls).toEqual(['v2', 'other', 'other'])
  expect(saved.receiverCount).toBe(1)
})

test('a replaced receiver is no longer connected anywhere', () => {
  const saved = new Signal<void, string>()
  const v1 = jest.fn()
  const v2 = jest.fn()
  saved.connect(v1, { key: 'k', sender: 'a' })
  saved.connect(v2, { key: 'k', sender: 'a' })
  expect(saved.disconnect(v1)).toBe(false)
  saved.send('a')
  expect(v1).not.toHaveBeenCalled()
  expect(v2).toHaveBeenCalledTimes(1)
  expect(saved.receiversFor('a')).toEqual([v2])
})

test('a replacement made during a send is not called by that send, and the replaced one no longer is (snapshots)', () => {
  const saved = new Signal()
  const calls: string[] = []
  let replaced = false
  saved.connect(() => {
    calls.push('first')
    if (replaced) return
    replaced = true
    saved.connect(() => calls.push('v1'), { key: 'k' })
  })
  saved.connect(() => calls.push('v0'), { key: 'k' })
  saved.send()
  expect(calls).toEqual(['first'])
  saved.send()
  expect(calls).toEqual(['first', 'first', 'v1'])
})

test('a receiver that replaces a later keyed connection with itself is still called once per send', () => {
  const saved = new Signal<void, string>()
  const calls: string[] = []
  const shared = () => {
    calls.push('shared')
    saved.connect(shared, { key: 'k' })
  }
  saved.connect(shared, { sender: 'a' })
  saved.connect(() => calls.push('keyed'), { key: 'k' })
  saved.send('a')
  expect(calls).toEqual(['shared'])
  saved.send('a')
  expect(calls).toEqual(['shared', 'shared'])
})

test('connecting with a key a receiver already connected for that sender gives it the key and ends the other', () => {
  const saved = new Signal()
  const calls: string[] = []
  const plain = () => calls.push('plain')
  saved.connect(plain)
  saved.connect(() => calls.push('keyed'), { key: 'k' })
  saved.connect(plain, { key: 'k' })
  expect(saved.receiverCount).toBe(1)
  saved.send()
  expect(calls).toEqual(['plain'])
  expect(saved.disconnect({ key: 'k' })).toBe(true)
  expect(saved.receiverCount).toBe(0)
})

test('connecting a keyed receiver again without the key drops the key, as other omitted options return to defaults', () => {
  const saved = new Signal()
  const log = () => {}
  saved.connect(log, { key: 'k' })
  saved.connect(log)
  expect(saved.disconnect({ key: 'k' })).toBe(false)
  expect(saved.receiverCount).toBe(1)
})

test('disconnect({ key }) removes the key’s connection for every sender without holding the function', () => {
  const saved = new Signal<void, string>()
  const removed: unknown[] = []
  saved.receiverDisconnected.connect((_, { sender }) => removed.push(sender))
  saved.connect(() => {}, { key: 'k', sender: 'a' })
  saved.connect(() => {}, { key: 'k', sender: 'b' })
  saved.connect(() => {}, { key: 'other' })
  expect(saved.disconnect({ key: 'k' })).toBe(true)
  expect(removed).toEqual(['a', 'b'])
  expect(saved.receiverCount).toBe(1)
  expect(saved.disconnect({ key: 'k' })).toBe(false)
})

test('disconnect({ key, sender }) removes only that sender’s connection (ANY included)', () => {
  const saved = new Signal<void, string>()
  saved.connect(() => {}, { key: 'k', sender: 'a' })
  saved.connect(() => {}, { key: 'k' })
  expect(saved.disconnect({ key: 'k', sender: 'b' })).toBe(false)
  expect(saved.disconnect({ key: 'k', sender: ANY })).toBe(true)
  expect(saved.hasReceiversFor(ANY)).toBe(false)
  expect(saved.hasReceiversFor('a')).toBe(true)
  expect(saved.disconnect({ key: 'k', sender: 'a' })).toBe(true)
  expect(saved.receiverCount).toBe(0)
})

test('symbol keys work, and keys of object senders follow the sender', () => {
  const saved = new Signal<void, object>()
  const key = Symbol('audit')
  const sender = {}
  const calls: string[] = []
  saved.connect(() => calls.push('v1'), { key, sender })
  saved.connect(() => calls.push('v2'), { key, sender })
  saved.send(sender)
  saved.send({})
  expect(calls).toEqual(['v2'])
})

test('bad keys and bad keyed disconnects are refused with a message, and change nothing', () => {
  const saved = new Signal()
  expect(() => saved.connect(() => {}, { key: '' })).toThrow(
    'connect() expects a non-empty string or a symbol as option "key", got string ""',
  )
  expect(() => saved.connect(() => {}, { key: 3 as unknown as string })).toThrow('option "key", got number 3')
  expect(() => saved.disconnect({ key: 1 } as never)).toThrow(
    'disconnect() expects a non-empty string or a symbol as "key"',
  )
  expect(() => saved.disconnect({ key: 'k', weak: true } as never)).toThrow(
    'disconnect() got an unknown option "weak"',
  )
  expect(() => (saved.disconnect as (...args: unknown[]) => boolean)({ key: 'k' }, { sender: 1 })).toThrow(
    'disconnect({ key }) takes one argument',
  )
  expect(saved.receiverCount).toBe(0)
})

test('connectVia and receiver() take a key: a re-run of the connecting code replaces', () => {
  const saved = new Signal<string>()
  const seen: string[] = []
  for (const version of [1, 2]) {
    saved.connectVia(ANY, { key: 'via' })((_, name) => seen.push(`via v${version} ${name}`))
    receiver(saved, { key: 'receiver' })((_, name) => seen.push(`receiver v${version} ${name}`))
  }
  expect(saved.receiverCount).toBe(2)
  saved.send(undefined, 'x')
  expect(seen).toEqual(['via v2 x', 'receiver v2 x'])
})

test('a static method decorated with a key, in a class defined again, replaces the old class’s method', () => {
  const saved = new Signal<string>()
  const seen: string[] = []
  function defineClass(version: number) {
    class Audit {
      @receiver(saved, { key: 'Audit.log' })
      static log(_: unknown, name: string) {
        seen.push(`v${version} ${name}`)
      }
    }
    return Audit
  }
  defineClass(1)
  defineClass(2)
  expect(saved.receiverCount).toBe(1)
  saved.send(undefined, 'x')
  expect(seen).toEqual(['v2 x'])
})

test('connectedTo with a key in use swaps the receiver for the scope and puts the old one back after', () => {
  const saved = new Signal()
  const calls: string[] = []
  saved.connect(() => calls.push('before'))
  saved.connect(() => calls.push('real'), { key: 'k', priority: 0 })
  saved.connect(() => calls.push('after'))
  saved.connectedTo(
    () => calls.push('spy'),
    { key: 'k' },
    () => saved.send(),
  )
  saved.send()
  expect(calls).toEqual(['before', 'spy', 'after', 'before', 'real', 'after'])
  expect(saved.receiverCount).toBe(3)
})

test('connectedTo with a new key connects for the scope and removes it after', () => {
  const saved = new Signal()
  const spy = jest.fn()
  {
    using connection = saved.connectedTo(spy, { key: 'k' })
    expect(connection.connected).toBe(true)
    saved.send()
  }
  saved.send()
  expect(spy).toHaveBeenCalledTimes(1)
  expect(saved.disconnect({ key: 'k' })).toBe(false)
})

test('the key index forgets ended connections: once, abort and owner disposal', () => {
  const saved = new Signal()
  const controller = new AbortController()
  saved.connect(() => {}, { key: 'once', once: true })
  saved.connect(() => {}, { key: 'abort', signal: controller.signal })
  saved.send()
  controller.abort()
  expect(saved.disconnect({ key: 'once' })).toBe(false)
  expect(saved.disconnect({ key: 'abort' })).toBe(false)
  const calls: string[] = []
  saved.connect(() => calls.push('new'), { key: 'once' })
  saved.send()
  expect(calls).toEqual(['new'])
})

test('connections() lists each connection with its sender and options, keys included', () => {
  const saved = new Signal<void, string>()
  const owner = {}
  function a() {}
  function b() {}
  saved.connect(a, { key: 'k', sender: 'x', priority: 3 })
  saved.connect(b, { owner })
  const listed = saved.connections()
  expect(
    listed.map(({ receiver, sender, options }) => [
      receiver,
      sender,
      options.key,
      options.priority,
      options.owner,
    ]),
  ).toEqual([
    [a, 'x', 'k', 3, undefined],
    [b, ANY, undefined, 0, owner],
  ])
  listed.pop()
  expect(saved.connections()).toHaveLength(2)
})

test('a receiverDisconnected receiver that throws on a replacement leaves the replacement done', () => {
  const saved = new Signal()
  const calls: string[] = []
  saved.connect(() => calls.push('v1'), { key: 'k' })
  const failing = saved.receiverDisconnected.connect(() => {
    throw new Error('listener failed')
  })
  const controller = new AbortController()
  expect(() => saved.connect(() => calls.push('v2'), { key: 'k', signal: controller.signal })).toThrow(
    'listener failed',
  )
  saved.send()
  expect(calls).toEqual(['v2'])
  saved.receiverDisconnected.disconnect(failing)
  controller.abort() // the new connection's AbortSignal was listened to before the report
  expect(saved.receiverCount).toBe(0)
})
