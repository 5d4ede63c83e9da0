// The main thread and two worker threads share the named signal "tick" over BroadcastChannel: every
// node's receiver runs exactly once for every tick, its own and the two others'.
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { Namespace } from 'signalry'
import { bridge } from 'signalry/bridge'
import { broadcastChannel } from 'signalry/broadcast-channel'

const fixture = join(__dirname, '..', 'fixtures', 'bridgeWorker.mjs')

test('the main thread and two worker threads share a named signal over BroadcastChannel', async () => {
  const channel = `workers-${process.pid}`
  const ns = new Namespace()
  const tick = ns.signal<{ n: number }, string>('tick')
  const link = bridge(ns, broadcastChannel(channel), { nodeId: 'main' })
  const got: Record<string, Array<[string, number]>> = { main: [], w1: [], w2: [] }
  const problems: string[] = []
  tick.connect((sender, payload) => got['main']?.push([sender, payload.n]))
  link.errors.connect((_, error) => problems.push(`main: ${error.reason}`))

  const workers = ['w1', 'w2'].map((name) => {
    const worker = new Worker(fixture, { workerData: { channel, name } })
    const ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: { ready?: true; got?: [string, number]; error?: string }) => {
        if (message.ready) resolve()
        if (message.got) got[name]?.push(message.got)
        if (message.error) problems.push(`${name}: ${message.error}`)
      })
      worker.on('error', reject)
    })
    return { name, worker, ready }
  })
  try {
    await Promise.all(workers.map(({ ready }) => ready))
    tick.send('main', { n: 1 })
    workers[0]?.worker.postMessage({ send: 2 })
    workers[1]?.worker.postMessage({ send: 3 })
    const deadline = Date.now() + 20_000
    while (Object.values(got).some((list) => list.length < 3) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    await new Promise((resolve) => setTimeout(resolve, 200)) // nothing more may come
    const everyTick = [
      ['main', 1],
      ['w1', 2],
      ['w2', 3],
    ]
    for (const name of ['main', 'w1', 'w2']) {
      expect([...(got[name] ?? [])].sort((x, y) => x[1] - y[1])).toEqual(everyTick)
    }
    expect(problems).toEqual([])
  } finally {
    for (const { worker } of workers) worker.postMessage({ close: true })
    await Promise.all(workers.map(({ worker }) => new Promise((resolve) => worker.once('exit', resolve))))
    await link.close()
  }
}, 40_000)
