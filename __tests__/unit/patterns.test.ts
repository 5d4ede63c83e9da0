// Wildcard subscriptions: Namespace.connectMatching / connectedToMatching, and the top-level helpers
// on the default namespace.
import {
  AsyncReceiverError,
  ANY,
  connectedToMatching,
  connectMatching,
  defaultNamespace,
  disconnectOwner,
  Namespace,
  signal,
} from 'signalry'
import { leakBaseline, resetSignals } from 'signalry/testing'
import { reasonsOf } from '../helpers/disconnectReasons'
import { collectedWithin, collectGarbage, eventually } from '../helpers/garbageCollection'
import { thrownBy } from '../helpers/thrown'

type Call = [sender: unknown, payload: unknown, name: unknown]

/** A receiver that records its calls, and the calls. */
function recorder(): { calls: Call[]; receiver: (sender: unknown, payload: unknown, name: unknown) => void } {
  const calls: Call[] = []
  return { calls, receiver: (sender, payload, name) => void calls.push([sender, payload, name]) }
}

/** The names of the signals of `app` that `pattern` reaches, created in this order. */
function reached(pattern: string, names: Array<string | symbol>): Array<string | symbol> {
  const app = new Namespace()
  const seen: Array<string | symbol> = []
  app.connectMatching(pattern, (_, __, name) => void seen.push(name as string | symbol))
  for (const name of names) app.signal(name).send()
  return seen
}

describe('patterns', () => {
  test('"*" reaches every signal, existing and created later, symbol-named ones included', () => {
    const later = Symbol('later')
    const app = new Namespace()
    app.signal('before')
    const { calls, receiver } = recorder()
    app.connectMatching('*', receiver)
    app.signal('before').send('a', 1)
    app.signal(later).send('b', 2)
    expect(calls).toEqual([
      ['a', 1, 'before'],
      ['b', 2, later],
    ])
  })

  test('"user.*" reaches names that begin with "user." and go on, one segment or more', () => {
    expect(
      reached('user.*', [
        'user',
        'user.',
        'users.listed',
        'user.created',
        'user.profile.updated',
        'admin.user.x',
      ]),
    ).toEqual(['user.created', 'user.profile.updated'])
  })

  test('"user*" reaches every name that begins with "user", the bare prefix included', () => {
    expect(reached('user*', ['use', 'user', 'users.listed', 'user.created', Symbol('user')])).toEqual([
      'user',
      'users.listed',
      'user.created',
    ])
  })

  test('a pattern without "*" reaches the signal of that name, even one created later', () => {
    expect(reached('order.paid', ['order', 'order.paid.late', 'order.paid'])).toEqual(['order.paid'])
  })

  test('the receiver is called with the sender, the payload and the name, and its result is the send result', () => {
    const app = new Namespace()
    const wildcard = (sender: unknown, payload: unknown, name: unknown) =>
      `${String(name)}:${sender}:${payload}`
    app.connectMatching('job.*', wildcard)
    const results = app.signal('job.done').send('queue', 7)
    expect(results.map(([, result]) => result)).toEqual(['job.done:queue:7'])
  })

  test('namespaces are independent: a subscription of one never reaches the signals of another', () => {
    const app = new Namespace()
    const other = new Namespace()
    const { calls, receiver } = recorder()
    app.connectMatching('*', receiver)
    other.signal('x').send()
    expect(calls).toEqual([])
    expect(other.signal('x').receiverCount).toBe(0)
  })

  test('the top-level helpers subscribe on the default namespace', () => {
    const { calls, receiver } = recorder()
    const subscription = connectMatching('patterns-test.top.*', receiver)
    signal('patterns-test.top.saved').send('s', 1)
    expect(calls).toEqual([['s', 1, 'patterns-test.top.saved']])
    expect(defaultNamespace.patternConnections().map(({ pattern }) => pattern)).toContain(
      'patterns-test.top.*',
    )
    subscription.disconnect()
    const scoped = recorder()
    connectedToMatching('patterns-test.scoped.*', scoped.receiver, () =>
      signal('patterns-test.scoped.a').send(),
    )
    signal('patterns-test.scoped.a').send()
    expect(scoped.calls).toEqual([[undefined, undefined, 'patterns-test.scoped.a']])
  })
})

describe('bad input', () => {
  test.each([
    ['a number', 3, 'connectMatching() expects a non-empty string as pattern, got number 3'],
    ['an empty string', '', 'connectMatching() expects a non-empty string as pattern, got string ""'],
    [
      'a symbol',
      Symbol('x'),
      'connectMatching() expects a non-empty string as pattern, got symbol Symbol(x)',
    ],
  ])('a pattern that is %s is a TypeError naming the pattern', (_, pattern, message) => {
    const app = new Namespace()
    expect(thrownBy(() => app.connectMatching(pattern as string, () => {}))).toEqual(new TypeError(message))
    expect(app.patternConnections()).toEqual([])
  })

  test.each(['*.created', 'user.*.created', '**', 'a*b', '*user'])(
    'a wildcard anywhere but last (%s) is a TypeError naming the pattern and the supported forms',
    (pattern) => {
      const app = new Namespace()
      app.signal('user.created')
      const error = thrownBy(() => app.connectMatching(pattern, () => {}))
      expect(error).toBeInstanceOf(TypeError)
      expect((error as Error).message).toBe(
        `connectMatching() supports "*" only as the last character of pattern: "*" (every signal), "user.*" (names that begin with "user." and go on) or "user*" (names that begin with "user"); got ${JSON.stringify(pattern)}`,
      )
      expect(app.signal('user.created').receiverCount).toBe(0)
    },
  )

  test('a bad receiver or option is a TypeError, and nothing is connected', () => {
    const app = new Namespace()
    app.signal('a')
    expect(thrownBy(() => app.connectMatching('*', 'log' as never))).toEqual(
      new TypeError('connectMatching() expects a function as receiver, got string "log"'),
    )
    expect(thrownBy(() => app.connectMatching('*', () => {}, { priority: Number.NaN }))).toEqual(
      new TypeError('connectMatching() expects a finite number as option "priority", got number NaN'),
    )
    expect(thrownBy(() => app.connectMatching('*', () => {}, { sendr: 1 } as never))).toBeInstanceOf(
      TypeError,
    )
    expect(thrownBy(() => app.connectedToMatching('*', () => {}, undefined, 'body' as never))).toEqual(
      new TypeError('connectedToMatching() expects a function as body, got string "body"'),
    )
    expect(app.signal('a').receiverCount).toBe(0)
    expect(app.patternConnections()).toEqual([])
  })
})

describe('order', () => {
  test('on an existing signal it counts as connected when connectMatching is called', () => {
    const app = new Namespace()
    const order: string[] = []
    const saved = app.signal('doc.saved')
    saved.connect(() => void order.push('before'))
    app.connectMatching('doc.*', () => void order.push('wildcard'))
    saved.connect(() => void order.push('after'))
    saved.connect(() => void order.push('urgent'), { priority: 1 })
    saved.send()
    expect(order).toEqual(['urgent', 'before', 'wildcard', 'after'])
  })

  test('on a signal created later it counts as connected at creation, before signalCreated receivers connect', () => {
    const app = new Namespace()
    const order: string[] = []
    app.signalCreated.connect((_, created) => created.connect(() => void order.push('from signalCreated')))
    app.connectMatching('doc.*', () => void order.push('wildcard'))
    const saved = app.signal('doc.saved')
    saved.connect(() => void order.push('later'))
    saved.connect(() => void order.push('urgent'), { priority: 5 })
    saved.send()
    expect(order).toEqual(['urgent', 'wildcard', 'from signalCreated', 'later'])
  })

  test('several wildcard receivers reach a new signal in the order they were connected', () => {
    const app = new Namespace()
    const order: string[] = []
    app.connectMatching('*', () => void order.push('first'))
    app.connectMatching('doc.*', () => void order.push('second'))
    app.connectMatching('doc.saved', () => void order.push('third'))
    app.signal('doc.saved').send()
    expect(order).toEqual(['first', 'second', 'third'])
  })
})

describe('options', () => {
  test('sender: the receiver runs only for sends from that sender, on every signal', () => {
    const app = new Namespace()
    const billing = { name: 'billing' }
    const { calls, receiver } = recorder()
    app.connectMatching('invoice.*', receiver, { sender: billing })
    app.signal('invoice.sent').send(billing, 1)
    app.signal('invoice.sent').send({ name: 'other' }, 2)
    app.signal('invoice.paid').send(billing, 3)
    expect(calls).toEqual([
      [billing, 1, 'invoice.sent'],
      [billing, 3, 'invoice.paid'],
    ])
    expect(app.signal('invoice.paid').hasReceiversFor(ANY)).toBe(false)
    expect(app.signal('invoice.paid').hasReceiversFor(billing)).toBe(true)
  })

  test('once: the first matching send of any signal of the family, then the subscription ends everywhere', () => {
    const app = new Namespace()
    const a = app.signal('job.a')
    const b = app.signal('job.b')
    const reasonsA = reasonsOf(a)
    const reasonsB = reasonsOf(b)
    const { calls, receiver } = recorder()
    const subscription = app.connectMatching('job.*', receiver, { once: true })
    b.send('x')
    a.send('y')
    b.send('z')
    app.signal('job.c').send('w')
    expect(calls).toEqual([['x', undefined, 'job.b']])
    expect(reasonsB).toEqual(['called-once'])
    expect(reasonsA).toEqual(['disconnected'])
    expect(subscription.connected).toBe(false)
    expect(app.signal('job.c').receiverCount).toBe(0)
  })

  test('once: a send nested in the receiver does not call it again', () => {
    const app = new Namespace()
    let calls = 0
    app.connectMatching(
      'job.*',
      () => {
        calls++
        app.signal('job.nested').send()
      },
      { once: true },
    )
    app.signal('job.nested')
    app.signal('job.outer').send()
    expect(calls).toBe(1)
  })

  test('signal: aborting ends the subscription on every signal and for signals created later', () => {
    const app = new Namespace()
    const controller = new AbortController()
    const existing = app.signal('task.existing')
    const reasons = reasonsOf(existing)
    const { calls, receiver } = recorder()
    const subscription = app.connectMatching('task.*', receiver, { signal: controller.signal })
    controller.abort()
    existing.send()
    app.signal('task.later').send()
    expect(calls).toEqual([])
    expect(reasons).toEqual(['aborted'])
    expect(subscription.connected).toBe(false)
    expect(app.patternConnections()).toEqual([])
  })

  test('signal: an already aborted AbortSignal connects nothing', () => {
    const app = new Namespace()
    app.signal('task.a')
    const subscription = app.connectMatching('*', () => {}, { signal: AbortSignal.abort() })
    expect(subscription.connected).toBe(false)
    expect(app.signal('task.a').receiverCount).toBe(0)
    expect(app.signal('task.b').receiverCount).toBe(0)
  })

  test('owner: disconnectOwner ends the subscription on every signal and for signals created later', () => {
    const app = new Namespace()
    const owner = {}
    const existing = app.signal('view.existing')
    const reasons = reasonsOf(existing)
    const { calls, receiver } = recorder()
    const subscription = app.connectMatching('view.*', receiver, { owner })
    expect(existing.connections()[0]?.options.owner).toBe(owner)
    disconnectOwner(owner)
    existing.send()
    app.signal('view.later').send()
    expect(calls).toEqual([])
    expect(reasons).toEqual(['owner-disposed'])
    expect(subscription.connected).toBe(false)
  })

  test('key: connecting again with the same key replaces the subscription in place', () => {
    const app = new Namespace()
    const order: string[] = []
    const saved = app.signal('doc.saved')
    const archived = app.signal('archive.done')
    const savedReasons = reasonsOf(saved)
    const archivedReasons = reasonsOf(archived)
    const v1 = app.connectMatching('*', () => void order.push('v1'), { key: 'audit' })
    saved.connect(() => void order.push('other'))
    const v2 = app.connectMatching('doc.*', () => void order.push('v2'), { key: 'audit' })
    saved.send()
    archived.send()
    app.signal('doc.later').send()
    app.signal('archive.later').send()
    // v2 took v1's place on doc.saved; archive.done lost v1; later signals get v2 only where it matches.
    expect(order).toEqual(['v2', 'other', 'v2'])
    expect(savedReasons).toEqual(['replaced'])
    expect(archivedReasons).toEqual(['disconnected'])
    expect([v1.connected, v2.connected]).toEqual([false, true])
    expect(app.patternConnections().map(({ pattern }) => pattern)).toEqual(['doc.*'])
  })

  test('a subscription whose key a later connect changed is replaced through its new key only', () => {
    const app = new Namespace()
    const audit = () => {}
    const first = app.connectMatching('*', audit, { key: 'old' })
    app.connectMatching('*', audit, { key: 'new' })
    app.connectMatching('*', () => {}, { key: 'old' })
    expect(first.connected).toBe(true)
    app.connectMatching('*', () => {}, { key: 'new' })
    expect(first.connected).toBe(false)
    expect(app.patternConnections()).toHaveLength(2)
  })

  test('connecting the same receiver with the same pattern and sender again keeps one subscription, with the later options', () => {
    const app = new Namespace()
    const order: string[] = []
    const wildcard = () => void order.push('wildcard')
    const saved = app.signal('doc.saved')
    app.connectMatching('doc.*', wildcard)
    saved.connect(() => void order.push('direct'))
    app.connectMatching('doc.*', wildcard, { priority: 1 })
    saved.send()
    app.signal('doc.later').connect(() => void order.push('direct later'), { priority: 2 })
    app.signal('doc.later').send()
    expect(order).toEqual(['wildcard', 'direct', 'direct later', 'wildcard'])
    expect(app.patternConnections()).toHaveLength(1)
    expect(saved.receiverCount).toBe(2)
  })

  test('an async receiver is refused by sync sends before anything runs, and awaited by sendAsync', async () => {
    const app = new Namespace()
    const seen: unknown[] = []
    app.connectMatching('io.*', async (_, payload) => {
      await Promise.resolve()
      seen.push(payload)
      return 'stored'
    })
    const write = app.signal('io.write')
    expect(thrownBy(() => write.send(undefined, 1))).toBeInstanceOf(AsyncReceiverError)
    const results = await write.sendAsync(undefined, 2)
    expect(seen).toEqual([2])
    expect(results.map(([, result]) => result)).toEqual(['stored'])
  })
})

describe('the handle and scopes', () => {
  test('disconnect() removes the receiver from every signal it reached and from signals created later', () => {
    const app = new Namespace()
    const a = app.signal('user.a')
    const reasons = reasonsOf(a)
    const { calls, receiver } = recorder()
    const subscription = app.connectMatching('user.*', receiver)
    expect(subscription.signals()).toEqual([a])
    expect(subscription.receiver).toBe(receiver)
    expect(subscription.disconnect()).toBe(true)
    expect(subscription.disconnect()).toBe(false)
    a.send()
    app.signal('user.b').send()
    expect(calls).toEqual([])
    expect(reasons).toEqual(['disconnected'])
    expect([subscription.connected, subscription.receiver, subscription.signals()]).toEqual([
      false,
      undefined,
      [],
    ])
  })

  test('signal.disconnectAll() removes it from that signal only', () => {
    const app = new Namespace()
    const { calls, receiver } = recorder()
    const subscription = app.connectMatching('*', receiver)
    app.signal('a').disconnectAll()
    app.signal('a').send()
    app.signal('b').send()
    expect(calls).toEqual([[undefined, undefined, 'b']])
    expect(subscription.signals().map(({ name }) => name)).toEqual(['b'])
  })

  test('connectedToMatching with a body ends the scope when the body returns or throws, reported as scope-ended', () => {
    const app = new Namespace()
    const a = app.signal('job.a')
    const reasons = reasonsOf(a)
    const { calls, receiver } = recorder()
    expect(app.connectedToMatching('job.*', receiver, () => a.send('in', 1))).toHaveLength(1)
    expect(
      thrownBy(() =>
        app.connectedToMatching('job.*', receiver, { sender: 'in' }, () => {
          app.signal('job.b').send('in', 2)
          throw new Error('body failed')
        }),
      ),
    ).toEqual(new Error('body failed'))
    a.send('in', 3)
    app.signal('job.b').send('in', 4)
    app.signal('job.c').send('in', 5)
    expect(calls).toEqual([
      ['in', 1, 'job.a'],
      ['in', 2, 'job.b'],
    ])
    expect(reasons).toEqual(['scope-ended', 'scope-ended'])
    expect(app.patternConnections()).toEqual([])
  })

  test('connectedToMatching with an async body ends the scope when its promise settles', async () => {
    const app = new Namespace()
    const { calls, receiver } = recorder()
    const pending = app.connectedToMatching('job.*', receiver, async () => {
      await Promise.resolve()
      app.signal('job.async').send()
      return 'done'
    })
    expect(app.patternConnections()).toHaveLength(1)
    await expect(pending).resolves.toBe('done')
    app.signal('job.async').send()
    expect(calls).toEqual([[undefined, undefined, 'job.async']])
    expect(app.patternConnections()).toEqual([])
  })

  test('connectedToMatching without a body returns a handle that using ends', () => {
    const app = new Namespace()
    const { calls, receiver } = recorder()
    {
      using _scope = app.connectedToMatching('job.*', receiver)
      app.signal('job.a').send()
    }
    app.signal('job.a').send()
    expect(calls).toHaveLength(1)
    expect(app.signal('job.a').receiverCount).toBe(0)
  })

  test('a scope over an existing subscription of the same receiver makes none and ends none', () => {
    const app = new Namespace()
    const { calls, receiver } = recorder()
    app.connectMatching('job.*', receiver)
    const scope = app.connectedToMatching('job.*', receiver)
    expect(scope.connected).toBe(true)
    expect(scope.disconnect()).toBe(false)
    scope[Symbol.dispose]()
    app.signal('job.a').send()
    expect(calls).toHaveLength(1)
  })

  test('a scope with a key in use takes the earlier subscription\u2019s place, which gets it back at the end and reaches the signals created meanwhile', () => {
    const app = new Namespace()
    const order: string[] = []
    const a = app.signal('job.a')
    app.connectMatching('job.*', () => void order.push('kept'), { key: 'audit' })
    app.connectedToMatching(
      'job.*',
      () => void order.push('scoped'),
      { key: 'audit' },
      () => {
        a.send()
        app.signal('job.b').send()
      },
    )
    a.send()
    app.signal('job.b').send()
    app.signal('job.c').send()
    expect(order).toEqual(['scoped', 'scoped', 'kept', 'kept', 'kept'])
    expect(app.patternConnections()).toHaveLength(1)
  })
})

describe('meta-signals and counts', () => {
  test('each connection is reported on the signal\u2019s receiverConnected with its options, and counted', () => {
    const app = new Namespace()
    const saved = app.signal('doc.saved')
    const infos: unknown[] = []
    saved.receiverConnected.connect((_, { sender, options }) => void infos.push([sender, options.priority]))
    app.connectMatching('doc.*', function audit() {}, { priority: 3 })
    expect(infos).toEqual([[ANY, 3]])
    expect(saved.receiverCount).toBe(1)
    expect(saved.hasReceiversFor(ANY)).toBe(true)
    expect(saved.connections().map(({ receiver }) => receiver.name)).toEqual(['audit'])
    expect(app.inspect().map(({ name, any }) => [name, any])).toEqual([['doc.saved', 1]])
  })

  test('a signal whose only receiver is a wildcard one is sent, not skipped', () => {
    const app = new Namespace()
    const { calls, receiver } = recorder()
    app.connectMatching('*', receiver)
    expect(app.signal('lonely').emit('s', 1)).toBe(true)
    expect(calls).toEqual([['s', 1, 'lonely']])
  })

  test('a muted signal calls its wildcard receiver no more than its others', () => {
    const app = new Namespace()
    const { calls, receiver } = recorder()
    app.connectMatching('*', receiver)
    app.signal('a').muted(() => app.signal('a').send())
    expect(calls).toEqual([])
  })

  test('a receiverConnected receiver that throws leaves nothing of the subscription behind', () => {
    const app = new Namespace()
    const a = app.signal('x.a')
    const b = app.signal('x.b')
    b.receiverConnected.connect(() => {
      throw new Error('refused')
    })
    expect(thrownBy(() => app.connectMatching('x.*', () => {}))).toEqual(new Error('refused'))
    expect([a.receiverCount, b.receiverCount]).toEqual([0, 0])
    expect(app.patternConnections()).toEqual([])
    app.signal('x.c')
    expect(app.signal('x.c').receiverCount).toBe(0)
  })
})

describe('signalry/testing', () => {
  test('resetSignals ends the wildcard subscriptions too, so later signals do not get them', () => {
    const app = new Namespace()
    app.signal('a')
    app.connectMatching('*', () => {})
    app.signal('b').connect(() => {})
    expect(resetSignals(app)).toBe(3)
    expect(app.patternConnections()).toEqual([])
    expect(app.signal('c').receiverCount).toBe(0)
  })

  test('leakBaseline reports a wildcard subscription made after the baseline', () => {
    const app = new Namespace()
    app.connectMatching('*', function metrics() {})
    const baseline = leakBaseline(app)
    app.connectMatching('user.*', function audit() {})
    app.signal('user.created')
    app.signal('user.deleted').connect(function forgotten() {})
    expect(baseline.leaks()).toEqual(['pattern "user.*": audit', 'user.deleted: forgotten'])
  })
})

// Receivers and owners here are made inside helper functions, never inline in a test body (closures
// of one scope share a context, which could keep a "dropped" object alive).
describe('lifetimes', () => {
  /** Connects a weak wildcard receiver nothing else references; returns a WeakRef to it. */
  function subscribeThrowawayWeak(app: Namespace, calls: string[]): WeakRef<Function> {
    const receiver = () => void calls.push('weak')
    app.connectMatching('*', receiver, { weak: true })
    return new WeakRef(receiver)
  }

  /** Connects a wildcard receiver that closes over its owner; returns a WeakRef to the owner. */
  function subscribeThrowawayOwner(app: Namespace, calls: string[]): WeakRef<object> {
    const widget = { label: 'widget' }
    app.connectMatching('*', () => void calls.push(widget.label), { owner: widget })
    return new WeakRef(widget)
  }

  /** Connects a wildcard receiver for an object sender nothing else references; returns a WeakRef to it. */
  function subscribeForThrowawaySender(app: Namespace, calls: string[]): WeakRef<object> {
    const sender = {}
    app.connectMatching('*', () => void calls.push('sender'), { sender })
    app.signal('a').send(sender)
    return new WeakRef(sender)
  }

  test('a weak wildcard receiver is not kept alive by the namespace or its signals, and its subscription ends with it', async () => {
    const app = new Namespace()
    const existing = app.signal('existing')
    const reasons = reasonsOf(existing)
    const calls: string[] = []
    const receiverRef = subscribeThrowawayWeak(app, calls)
    existing.send()
    expect(calls).toEqual(['weak'])
    expect(await collectedWithin(receiverRef)).toBe(true)
    expect(await eventually(() => reasons.length > 0)).toBe(true)
    expect(reasons).toEqual(['collected'])
    existing.send()
    expect(app.signal('created.later').receiverCount).toBe(0)
    expect(app.patternConnections()).toEqual([])
    expect(calls).toEqual(['weak'])
  })

  test('a weak wildcard receiver the caller holds keeps working across collections, on signals old and new', async () => {
    const app = new Namespace()
    let calls = 0
    const held = () => void calls++
    app.connectMatching('*', held, { weak: true })
    for (let round = 0; round < 5; round++) {
      await collectGarbage(2)
      app.signal(`round.${round}`).send()
      app.signal('round.0').send()
    }
    expect(calls).toBe(10)
  })

  test('a wildcard receiver that closes over its owner does not keep the owner alive; the subscription ends with it', async () => {
    const app = new Namespace()
    const existing = app.signal('existing')
    const reasons = reasonsOf(existing)
    const calls: string[] = []
    const ownerRef = subscribeThrowawayOwner(app, calls)
    existing.send()
    expect(calls).toEqual(['widget'])
    expect(await collectedWithin(ownerRef)).toBe(true)
    expect(await eventually(() => reasons.length > 0)).toBe(true)
    expect(reasons).toEqual(['owner-collected'])
    expect(app.signal('created.later').receiverCount).toBe(0)
    expect(app.patternConnections()).toEqual([])
  })

  test('a live owner keeps its wildcard receiver alive though nothing else references the receiver', async () => {
    const app = new Namespace()
    const widget = { refreshed: 0 }
    app.connectMatching('*', () => void widget.refreshed++, { owner: widget })
    for (let round = 0; round < 5; round++) {
      await collectGarbage(2)
      app.signal(`round.${round}`).send()
    }
    expect(widget.refreshed).toBe(5)
  })

  test('a subscription for an object sender does not keep the sender alive, and ends when it is collected', async () => {
    const app = new Namespace()
    const calls: string[] = []
    const senderRef = subscribeForThrowawaySender(app, calls)
    expect(calls).toEqual(['sender'])
    expect(await collectedWithin(senderRef)).toBe(true)
    expect(await eventually(() => app.signal('a').receiverCount === 0)).toBe(true)
    expect(app.patternConnections()).toEqual([])
    expect(app.signal('created.later').receiverCount).toBe(0)
  })
})
