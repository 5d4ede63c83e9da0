// An upload pipeline with async receivers: sendAsync runs the steps in order ('serial', the
// default) or all at once ('concurrent'); sendAsyncRobust collects every outcome; events() feeds a
// `for await` consumer from a bounded buffer; next() waits for one send.
import { signal } from 'signalry'

interface Upload {
  file: string
  bytes: number
}

const uploaded = signal<Upload, string>('upload.received')
const log: string[] = []
// A step that takes a moment: it logs when it starts and when it is done.
async function step(name: string): Promise<void> {
  log.push(`${name} started`)
  await Promise.resolve()
  log.push(`${name} done`)
}

// Serial: each step is awaited before the next one starts, so the order is guaranteed.
uploaded.connect(async (_, { file }) => {
  await step(`scan ${file}`)
  return 'clean'
})
uploaded.connect(async (_, { file }) => {
  await step(`thumbnail ${file}`)
  return `${file}.thumb.png`
})
uploaded.connect((_, { bytes }) => bytes > 1_000_000) // a sync receiver is fine too

const results = await uploaded.sendAsync('web', { file: 'cat.png', bytes: 2_000_000 })
console.log(log.join(', '))
console.log(results.map(([, result]) => result))

// Concurrent: every receiver is called first, then all are awaited together.
log.length = 0
await uploaded.sendAsync('web', { file: 'dog.png', bytes: 10 }, { concurrency: 'concurrent' })
console.log(log.join(', '))

// Robust: a failing step does not stop the others; each outcome is reported.
const quota = uploaded.connect(async (sender) => {
  if (sender === 'api') throw new Error('quota exceeded')
})
const outcomes = await uploaded.sendAsyncRobust('api', { file: 'big.iso', bytes: 5_000_000 })
console.log(
  outcomes.map(([, outcome]) =>
    outcome.status === 'fulfilled' ? 'ok' : `failed: ${(outcome.reason as Error).message}`,
  ),
)
uploaded.disconnect(quota)

// events(): a consumer that reads uploads as a stream. It is connected as soon as events() returns,
// so sends made before the loop starts are not lost.
const receiversBefore = uploaded.receiverCount
const stream = uploaded.events({ sender: 'web', bufferSize: 100 })
const consumer = (async () => {
  let total = 0
  for await (const [, upload] of stream) {
    total += upload.bytes
    console.log(`stream: ${upload.file} (${total} bytes so far)`)
    if (upload.file === 'last.png') break // disconnects
  }
})()
for (const file of ['a.png', 'b.png', 'last.png']) await uploaded.sendAsync('web', { file, bytes: 100 })
await consumer
console.log('receivers after the loop:', uploaded.receiverCount === receiversBefore ? 'as before' : 'leaked')

// next(): wait for one matching send.
const nextFromApi = uploaded.next({ sender: 'api' })
await uploaded.sendAsync('web', { file: 'ignored.png', bytes: 1 })
await uploaded.sendAsync('api', { file: 'report.pdf', bytes: 1 })
const [sender, upload] = await nextFromApi
console.log(`next: ${upload.file} from ${sender}`)

// Prints:
// scan cat.png started, scan cat.png done, thumbnail cat.png started, thumbnail cat.png done
// [ 'clean', 'cat.png.thumb.png', true ]
// scan dog.png started, thumbnail dog.png started, scan dog.png done, thumbnail dog.png done
// [ 'ok', 'ok', 'ok', 'failed: quota exceeded' ]
// stream: a.png (100 bytes so far)
// stream: b.png (200 bytes so far)
// stream: last.png (300 bytes so far)
// receivers after the loop: as before
// next: report.pdf from api
