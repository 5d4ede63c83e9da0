// Built-in diagnostics: sends published on node:diagnostics_channel, the receiver-leak warning, and
// Namespace.inspect().
import { execFileSync } from 'node:child_process'
import diagnostics from 'node:diagnostics_channel'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ANY, defaultNamespace, Namespace, NamedSignal, Signal, signal, type SendDiagnostic } from 'signalry'
import { collectGarbage } from '../helpers/garbageCollection'

const root = join(__dirname, '..', '..')

describe('sends published on the signalry:send diagnostics channel', () => {
  let published: SendDiagnostic[]
  const onSend = (message: unknown) => {
    published.push(message as SendDiagnostic)
  }
  beforeEach(() => {
    published = []
    diagnostics.subscribe('signalry:send', onSend)
  })
  afterEach(() => {
    diagnostics.unsubscribe('signalry:send', onSend)
  })

  test('each send, emit and sendRobust of a named signal is published with its signal, name, sender and receiver count', () => {
    const saved = signal<{ id: number }, string>('diagnostics.saved')
    saved.connect(() => {})
    saved.connect(() => {}, { sender: 'orders' })
    saved.send('orders', { id: 1 })
    saved.emit('invoices', { id: 2 })
    saved.sendRobust('orders', { id: 3 })
    expect(published).toEqual([
      { signal: saved, name: 'diagnostics.saved', sender: 'orders', receiverCount: 2 },
      { signal: saved, name: 'diagnostics.saved', sender: 'invoices', receiverCount: 1 },
      { signal: saved, name: 'diagnostics.saved', sender: 'orders', receiverCount: 2 },
    ])
  })

  test('sendAsync and sendAsyncRobust are published too', async () => {
    const uploaded = new NamedSignal<string, string>('diagnostics.uploaded')
    uploaded.connect(async () => 'scanned')
    await uploaded.sendAsync('web', 'a.png')
    await uploaded.sendAsyncRobust('cli', 'b.png')
    expect(published.map(({ name, sender, receiverCount }) => [name, sender, receiverCount])).toEqual([
      ['diagnostics.uploaded', 'web', 1],
      ['diagnostics.uploaded', 'cli', 1],
    ])
  })

  test('the message is published before any receiver runs', () => {
    const order: string[] = []
    const started = new Namespace().signal('diagnostics.started')
    started.connect(() => order.push('receiver'))
    const onPublished = () => order.push('published')
    diagnostics.subscribe('signalry:send', onPublished)
    try {
      started.send()
    } finally {
      diagnostics.unsubscribe('signalry:send', onPublished)
    }
    expect(order.slice(0, 2)).toEqual(['published', 'receiver'])
  })

  test('a send that calls nobody is published with receiver count 0, muted ones included', () => {
    const idle = new NamedSignal<void, string>('diagnostics.idle')
    idle.send('nobody')
    idle.connect(() => {})
    idle.muted(() => idle.send('muted'))
    expect(published.map(({ sender, receiverCount }) => [sender, receiverCount])).toEqual([
      ['nobody', 0],
      ['muted', 0],
    ])
  })

  test('a receiver counted once although connected for ANY and for the sender', () => {
    const saved = new NamedSignal<void, string>('diagnostics.twice')
    const receiver = () => {}
    saved.connect(receiver)
    saved.connect(receiver, { sender: 'a' })
    saved.send('a')
    expect(published[0]?.receiverCount).toBe(1)
  })

  test('sends of unnamed signals and of meta-signals are not published', () => {
    const plain = new Signal()
    plain.receiverConnected.connect(() => {})
    plain.connect(() => {})
    plain.send()
    expect(published).toEqual([])
  })

  test('nothing is published after the last subscriber leaves', () => {
    diagnostics.unsubscribe('signalry:send', onSend)
    signal('diagnostics.quiet').send()
    diagnostics.subscribe('signalry:send', onSend)
    expect(published).toEqual([])
  })
})

describe('the diagnostics channel outside the jest sandbox', () => {
  beforeAll(() => {
    if (!existsSync(join(root, 'dist', 'index.js')))
      throw new Error('dist/ is missing: run `npm run build` first')
  })

  const script = (setup: string) => `
    ${setup}
    const { signal } = await import('signalry')
    const { subscribe } = await import('node:diagnostics_channel')
    const seen = []
    subscribe('signalry:send', ({ name, sender, receiverCount }) => seen.push([name, sender, receiverCount]))
    signal('child.first').send('me') // looks the channel up (on old Node: starts loading it)
    await new Promise((resolve) => setImmediate(resolve))
    signal('child.sent').send('me')
    console.log(JSON.stringify(seen.filter(([name]) => name === 'child.sent')))
  `
  const run = (code: string) =>
    execFileSync(process.execPath, ['--input-type=module', '-e', code], {
      cwd: root,
      encoding: 'utf8',
    }).trim()

  test('the built ESM package publishes through process.getBuiltinModule', () => {
    expect(run(script(''))).toBe('[["child.sent","me",0]]')
  })

  test('on a Node without process.getBuiltinModule (before 20.16) it still publishes, once the channel has loaded', () => {
    expect(run(script('delete process.getBuiltinModule'))).toBe('[["child.sent","me",0]]')
  })

  test('importing signalry looks up no channel: the first send does (sends before it are not published on old Node)', () => {
    const code = `
      delete process.getBuiltinModule
      const { signal } = await import('signalry')
      await new Promise((resolve) => setTimeout(resolve, 20))
      const { subscribe } = await import('node:diagnostics_channel')
      const seen = []
      subscribe('signalry:send', ({ name }) => seen.push(name))
      signal('lazy.first').send()
      await new Promise((resolve) => setImmediate(resolve))
      signal('lazy.second').send()
      console.log(JSON.stringify(seen))
    `
    expect(run(code)).toBe('["lazy.second"]')
  })

  test('the built CommonJS package publishes too, also on a Node without process.getBuiltinModule', () => {
    const code = `
      delete process.getBuiltinModule
      const { createRequire } = await import('node:module')
      const { signal } = createRequire(import.meta.url)('signalry')
      const { subscribe } = await import('node:diagnostics_channel')
      const seen = []
      subscribe('signalry:send', ({ name, sender }) => seen.push([name, sender]))
      signal('cjs.first').send('me') // starts loading the channel
      await new Promise((resolve) => setImmediate(resolve))
      seen.length = 0
      signal('cjs.sent').send('me')
      console.log(JSON.stringify(seen))
    `
    expect(run(code)).toBe('[["cjs.sent","me"]]')
  })

  test('where there is no process (a browser), sends work and nothing is published', () => {
    const code = `
      const { subscribe } = await import('node:diagnostics_channel')
      const seen = []
      subscribe('signalry:send', (message) => seen.push(message))
      const { signal } = await import('signalry')
      const got = []
      signal('browser.sent').connect((sender) => got.push(sender))
      const saved = globalThis.process
      globalThis.process = undefined
      signal('browser.sent').send('page') // the first send looks the channels up: there are none
      globalThis.process = saved
      signal('browser.sent').send('page')
      console.log(JSON.stringify({ got, seen: seen.length }))
    `
    expect(run(code)).toBe('{"got":["page","page"],"seen":0}')
  })
})

describe('the receiver-leak warning', () => {
  let warnings: Error[]
  const onWarning = (warning: Error) => {
    warnings.push(warning)
  }
  let emitWarning: jest.SpyInstance
  beforeEach(() => {
    warnings = []
    emitWarning = jest
      .spyOn(process, 'emitWarning')
      .mockImplementation(((warning: Error) => onWarning(warning)) as never)
  })
  afterEach(() => {
    emitWarning.mockRestore()
    Signal.defaultMaxReceivers = 100
  })

  const connectMany = (sig: Signal<any, any>, count: number, sender: unknown = ANY) => {
    for (let i = 0; i < count; i++) sig.connect(() => i, { sender })
  }

  test('the default limit is 100 receivers for one sender', () => {
    const busy = new NamedSignal('leak.busy')
    connectMany(busy, 100)
    expect(warnings).toEqual([])
    connectMany(busy, 1)
    expect(warnings).toHaveLength(1)
    expect(busy.receiverCount).toBe(101)
  })

  test('passing the limit warns once per signal and sender, through process.emitWarning, with a named warning', () => {
    const busy = new NamedSignal<void, unknown>('leak.named')
    busy.maxReceivers = 2
    const owner = { id: 'component' }
    connectMany(busy, 5, 'request')
    connectMany(busy, 5, owner)
    connectMany(busy, 5)
    expect(warnings.map((warning) => (warning as unknown as { sender: unknown }).sender)).toEqual([
      'request',
      owner,
      ANY,
    ])
    const [first] = warnings as [Error & Record<string, unknown>]
    expect(first.name).toBe('MaxReceiversExceededWarning')
    expect(first.message).toBe(
      'Possible receiver leak: signal "leak.named" has 3 receivers connected for sender string "request" (limit 2). ' +
        'Disconnect receivers that are no longer needed (disconnect(), connectedTo(), once, an AbortSignal), or raise ' +
        'the limit with sig.maxReceivers = n or Signal.defaultMaxReceivers = n (0 turns the warning off).',
    )
    expect(first).toMatchObject({ signal: busy, sender: 'request', count: 3, limit: 2 })
    expect(warnings[2]?.message).toContain('for sender ANY')
  })

  test('the warning names a signal without a name the way String(signal) does: its doc, a subclass its class name', () => {
    const documented = new Signal('fake input')
    class AuditSignal extends Signal {}
    const audit = new AuditSignal()
    for (const sig of [documented, audit]) {
      sig.maxReceivers = 1
      connectMany(sig, 2)
    }
    expect(warnings.map((warning) => warning.message.split(' has ')[0])).toEqual([
      'Possible receiver leak: Signal("fake input")',
      'Possible receiver leak: AuditSignal',
    ])
    expect([String(documented), String(audit)]).toEqual(['Signal("fake input")', 'AuditSignal'])
  })

  test('connections for other senders do not count towards one sender\u2019s limit', () => {
    const spread = new Signal<void, number>()
    spread.maxReceivers = 2
    for (let sender = 0; sender < 10; sender++) connectMany(spread, 2, sender)
    connectMany(spread, 2)
    expect(warnings).toEqual([])
  })

  test('connecting the same receiver again does not count as another receiver', () => {
    const sig = new Signal()
    sig.maxReceivers = 1
    const receiver = () => {}
    sig.connect(receiver)
    sig.connect(receiver)
    sig.connect(receiver, { priority: 3 })
    expect(warnings).toEqual([])
  })

  test('after a disconnect brings the count down, growing past the limit again does not warn again', () => {
    const sig = new Signal()
    sig.maxReceivers = 1
    const first = sig.connect(() => {})
    sig.connect(() => {})
    sig.disconnect(first)
    sig.connect(() => {})
    expect(warnings).toHaveLength(1)
  })

  test('Signal.defaultMaxReceivers applies to every signal without a limit of its own', () => {
    Signal.defaultMaxReceivers = 3
    const a = new Signal()
    const b = new Signal()
    b.maxReceivers = 10
    expect(a.maxReceivers).toBe(3)
    connectMany(a, 4)
    connectMany(b, 4)
    expect(warnings).toHaveLength(1)
    b.maxReceivers = undefined
    expect(b.maxReceivers).toBe(3)
  })

  test('0 and Infinity turn the warning off', () => {
    const off = new Signal()
    off.maxReceivers = 0
    connectMany(off, 150)
    Signal.defaultMaxReceivers = Number.POSITIVE_INFINITY
    connectMany(new Signal(), 150)
    expect(warnings).toEqual([])
  })

  test('a limit that is not a number throws a TypeError, as Node\u2019s setMaxListeners does, and changes nothing', () => {
    const sig = new Signal()
    for (const bad of ['10', null, 10n, {}]) {
      expect(() => {
        sig.maxReceivers = bad as number
      }).toThrow(TypeError)
      expect(() => {
        Signal.defaultMaxReceivers = bad as number
      }).toThrow(TypeError)
    }
    expect(() => {
      sig.maxReceivers = '10' as never
    }).toThrow(
      new TypeError(
        'maxReceivers must be a non-negative integer or Infinity (0 turns the warning off), got string "10"',
      ),
    )
    expect(sig.maxReceivers).toBe(100)
    expect(Signal.defaultMaxReceivers).toBe(100)
  })

  test('a number out of range throws a RangeError and changes nothing', () => {
    const sig = new Signal()
    for (const bad of [-1, 1.5, Number.NaN, Number.NEGATIVE_INFINITY]) {
      expect(() => {
        sig.maxReceivers = bad
      }).toThrow(RangeError)
      expect(() => {
        Signal.defaultMaxReceivers = bad as number
      }).toThrow(
        /Signal\.defaultMaxReceivers must be a non-negative integer or Infinity \(0 turns the warning off\), got/,
      )
    }
    expect(sig.maxReceivers).toBe(100)
    expect(Signal.defaultMaxReceivers).toBe(100)
  })

  test('the default is process-wide: the ESM and the CJS build share it', () => {
    const output = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { createRequire } from 'node:module'
         const cjs = createRequire(import.meta.url)('signalry')
         const esm = await import('signalry')
         esm.Signal.defaultMaxReceivers = 7
         console.log(cjs.Signal.defaultMaxReceivers)`,
      ],
      { cwd: root, encoding: 'utf8' },
    )
    expect(output.trim()).toBe('7')
  })

  test('without process.emitWarning (a browser) the warning goes to console.warn', () => {
    const output = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { Signal } = await import('signalry')
         process.emitWarning = undefined
         console.warn = (text) => console.log('warned:', text)
         const sig = new Signal()
         sig.maxReceivers = 1
         sig.connect(() => 1)
         sig.connect(() => 2)`,
      ],
      { cwd: root, encoding: 'utf8' },
    )
    expect(output.trim()).toMatch(
      /^warned: MaxReceiversExceededWarning: Possible receiver leak: Signal has 2 receivers/,
    )
  })
})

describe('Namespace.inspect()', () => {
  test('lists every signal in creation order with its connections counted by kind of sender', () => {
    const app = new Namespace()
    const saved = app.signal<void, unknown>('saved', 'Sent after a save.')
    const deleted = app.signal('deleted')
    const table = { name: 'orders' }
    const receiver = () => {}
    saved.connect(receiver)
    saved.connect(receiver, { sender: 'orders' })
    saved.connect(() => {}, { sender: 42 })
    saved.connect(() => {}, { sender: undefined })
    saved.connect(receiver, { sender: table })
    saved.muted(() => {
      expect(app.inspect()).toEqual([
        {
          name: 'saved',
          doc: 'Sent after a save.',
          any: 1,
          primitive: 3,
          object: 1,
          isMuted: true,
          signal: saved,
        },
        { name: 'deleted', doc: undefined, any: 0, primitive: 0, object: 0, isMuted: false, signal: deleted },
      ])
    })
  })

  test('a weakly held receiver that was garbage-collected is not counted', async () => {
    const app = new Namespace()
    const saved = app.signal<void, string>('saved')
    ;(() => {
      saved.connect(() => {}, { weak: true, sender: 'orders' })
      saved.connect(() => {}, { weak: true })
    })()
    const kept = () => {}
    saved.connect(kept, { weak: true })
    await collectGarbage()
    expect(app.inspect()[0]).toMatchObject({ any: 1, primitive: 0, object: 0 })
    expect(saved.disconnect(kept)).toBe(true) // (and keeps `kept` alive until here)
  })

  test('counts follow disconnects, and each call returns a new snapshot', () => {
    const app = new Namespace()
    const saved = app.signal<void, string>('saved')
    const receiver = saved.connect(() => {}, { sender: 'a' })
    const before = app.inspect()
    saved.disconnect(receiver)
    expect(before[0]?.primitive).toBe(1)
    expect(app.inspect()[0]?.primitive).toBe(0)
    expect(app.inspect()).not.toBe(app.inspect())
  })

  test('connections for a sender object that was garbage-collected are not counted', async () => {
    const app = new Namespace()
    const saved = app.signal<void, object>('saved')
    ;(() => {
      saved.connect(() => {}, { sender: { temporary: true } })
    })()
    // Counted until the engine has run the sender's finalization callback: poll, bounded.
    for (let pass = 0; pass < 30 && app.inspect()[0]?.object !== 0; pass++) await collectGarbage(1)
    expect(app.inspect()[0]?.object).toBe(0)
  })

  test('the default namespace lists the signals of signal()', () => {
    const created = signal('inspect.default')
    expect(defaultNamespace.inspect().some((entry) => entry.signal === created)).toBe(true)
  })
})

test('the leak warning never makes connect() throw, even where Node rejects the warning object (an Error of a jest or vm realm)', () => {
  const seen: unknown[][] = []
  // What Node's emitWarning does with an Error from another realm: it refuses it with a TypeError.
  const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(((...args: unknown[]) => {
    if (typeof args[0] !== 'string')
      throw new TypeError('The "warning" argument must be of type string or an instance of Error')
    seen.push(args)
  }) as never)
  try {
    const busy = new Signal()
    busy.maxReceivers = 1
    busy.connect(() => 1)
    expect(() => busy.connect(() => 2)).not.toThrow()
    expect(busy.receiverCount).toBe(2)
    expect(seen).toHaveLength(1)
    expect(seen[0]?.[0]).toContain('has 2 receivers connected for sender ANY (limit 1)')
    expect(seen[0]?.[1]).toBe('MaxReceiversExceededWarning')
  } finally {
    emitWarning.mockRestore()
  }
})
