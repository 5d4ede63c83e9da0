// Fault-injection figures: runs every scenario of the fault suite once (bench/../__tests__/helpers/
// faultRunner.ts: two Node processes, 1 000 sends from two sender nodes through a TCP proxy and a
// persistent redis-server, one fault half-way) on both Redis transports, and close() in each
// connection state; writes the table into bench/RESULTS.md between <!-- faults:start --> and
// <!-- faults:end -->. Run from the repository root: npm run bench:faults
import { execFileSync } from 'node:child_process'
import { cpus } from 'node:os'
import {
  CLOSE_STATES,
  CLOSE_TIMEOUT_MS,
  FAULTS,
  type Mode,
  runCloseState,
  runFault,
} from '../__tests__/helpers/faultRunner'
import { startRedis } from '../__tests__/helpers/redisServer'
import { writeResultsSection } from './results.js'

const modes: Array<[string, Mode]> = [
  ['Streams', 'streams'],
  ['pub/sub', 'pubsub'],
]
const redis = await startRedis({ appendOnly: true })
const rows: string[] = []
const closeRows: string[] = []
let key = 0
try {
  for (const fault of FAULTS) {
    for (const [name, mode] of modes) {
      process.stderr.write(`${fault} over ${name}\n`)
      const r = await runFault(fault, mode, redis, `bench-faults-${key++}`)
      const reported = mode === 'pubsub' ? `${r.reportedLost}` : '—'
      const note =
        fault === 'receiver SIGKILL + restart'
          ? mode === 'streams'
            ? `${r.crashRedelivered} re-delivered after the crash (delivered, not yet acknowledged)`
            : 'lost while the process was down: a new process cannot count them'
          : ''
      rows.push(
        `| ${fault} | ${name} | ${r.sent} | ${r.delivered} | ${r.lost} | ${reported} | ${r.duplicated} | ${r.reordered} | ` +
          `${r.closeMs.join(' / ')} | ${r.exitedOnOwn ? 'yes' : 'NO'} | ${note} |`,
      )
    }
  }
  for (const state of CLOSE_STATES) {
    const cells: string[] = []
    for (const [, mode] of modes) {
      const { closeMs, exitedOnOwn } = await runCloseState(state, mode, redis, `bench-close-${key++}`)
      cells.push(`${closeMs} ms${exitedOnOwn ? '' : ' (did NOT exit)'}`)
    }
    closeRows.push(`| ${state} | ${cells.join(' | ')} |`)
  }
} finally {
  await redis.stop()
}

const redisVersion =
  /v=(\S+)/.exec(execFileSync('redis-server', ['--version'], { encoding: 'utf8' }))?.[1] ?? ''
const now = new Date().toISOString().slice(0, 16).replace('T', ' ')
const section = `## Faults: delivery under injected faults (bench/faults.ts)

Written by \`npm run bench:faults\` on ${now} UTC; ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}),
Node ${process.version}, redis-server ${redisVersion} with \`appendonly yes\`, \`appendfsync always\`.

Each row is one run of a scenario of the fault-injection suite (\`__tests__/integration/bridgeFaultSuite.test.ts\`):
a receiving Node process and a sending one (two sender nodes, 500 sends each, spread over 1.5 s) exchange
sends through a TCP proxy in front of redis-server; the fault starts 0.4 s in. "Lost" and "duplicated" count
deliveries to the receiver's local receiver; "reordered" counts sends delivered after a later send of the
same sender; "reported lost" is the sum of the receiver's \`'messages-lost'\` counts (pub/sub). close() is
timed in each process (receiver(s) / senders; \`closeTimeoutMs\` ${CLOSE_TIMEOUT_MS}); "exits" says whether each
process then ended by itself.

| fault | transport | sent | delivered | lost | reported lost | duplicated | reordered | close() ms | exits | note |
| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |
${rows.join('\n')}

close() in each state of the connection (one process, one bridge; \`closeTimeoutMs\` ${CLOSE_TIMEOUT_MS}):

| state | Streams | pub/sub |
| --- | --- | --- |
${closeRows.join('\n')}
`

writeResultsSection('faults', section)
console.log(section)
