// Two processes share named signals through Redis: this one (the shop) forks a second one (the
// mailer). Both bridge the same named signals over Redis pub/sub; a send in one process runs the
// receivers in the other, with the sender carried as a key. Needs a redis-server: REDIS_URL, default
// redis://127.0.0.1:6379. Run: npx tsx examples/redis-cluster.ts
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { signal } from 'signalry'
import { bridge } from 'signalry/bridge'
import { redisPubSub } from 'signalry/redis'

const url = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379'

// Declared the same way in both processes (usually in a shared module).
const orderPlaced = signal<{ id: number; total: number }, string>('order.placed')
const receiptSent = signal<{ id: number; to: string }, string>('receipt.sent')
const orderFlagged = signal<{ id: number; reason: string }, string>('order.flagged')
const mailerReady = signal<void, string>('mailer.ready')

// String senders are their own keys, so the sender filter below works across processes.
const link = bridge(
  [orderPlaced, receiptSent, orderFlagged, mailerReady],
  redisPubSub(url, { channel: 'redis-cluster-example' }),
)
link.errors.connect((_, error) => console.error(`bridge: ${error.reason}: ${error.detail}`))

if (process.argv[2] === 'mailer') {
  // Process 2: sends a receipt for every order, and flags big orders of the VIP shop only.
  orderPlaced.connect((shop, order) =>
    receiptSent.send('mailer', { id: order.id, to: `${shop}@example.com` }),
  )
  orderPlaced.connect(
    (_, order) => {
      if (order.total > 100) orderFlagged.send('mailer', { id: order.id, reason: 'big VIP order' })
    },
    { sender: 'vip-shop' },
  )
  process.on('disconnect', () => void link.close()) // the shop is done
  await link.ready
  mailerReady.send('mailer')
} else {
  // Process 1: starts the mailer, waits until it listens, places orders, prints what comes back.
  await link.ready
  const ready = new Promise<void>((resolve) => mailerReady.connect(() => resolve(), { once: true }))
  const mailer = fork(fileURLToPath(import.meta.url), ['mailer'])
  await ready
  console.log('shop: the mailer is listening')

  let replies = 0
  const allReplies = new Promise<void>((resolve) => {
    const count = () => ++replies === 4 && resolve()
    receiptSent.connect((from, receipt) => {
      console.log(`shop: ${from} sent the receipt for #${receipt.id} to ${receipt.to}`)
      count()
    })
    orderFlagged.connect((from, flag) => {
      console.log(`shop: ${from} flagged #${flag.id}: ${flag.reason}`)
      count()
    })
  })
  orderPlaced.send('web-shop', { id: 1, total: 250 })
  orderPlaced.send('vip-shop', { id: 2, total: 40 })
  orderPlaced.send('vip-shop', { id: 3, total: 900 })
  await allReplies
  mailer.disconnect()
  await new Promise((resolve) => mailer.once('exit', resolve))
  await link.close()
}

// Prints:
// shop: the mailer is listening
// shop: mailer sent the receipt for #1 to web-shop@example.com
// shop: mailer sent the receipt for #2 to vip-shop@example.com
// shop: mailer sent the receipt for #3 to vip-shop@example.com
// shop: mailer flagged #3: big VIP order
