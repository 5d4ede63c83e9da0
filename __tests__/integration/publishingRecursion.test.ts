// A `signalry:send` subscriber that sends a signal (a metrics sink), in a child process of its own:
// before the fix the recursion overflowed the stack and Node rethrew it as an uncaught exception,
// which ends the process (and would end a jest worker with it).
import { spawnSync } from 'node:child_process'
import * as path from 'node:path'

test('a signalry:send subscriber that sends a named signal does not crash the process', () => {
  const script = `
    import { subscribe } from 'node:diagnostics_channel'
    import { signal } from ${JSON.stringify(path.resolve(__dirname, '../../src/index.ts'))}
    const metrics = []
    signal('metrics.sent').connect((_, name) => metrics.push(name))
    subscribe('signalry:send', (message) => signal('metrics.sent').send(undefined, String(message.name)))
    const saved = signal('order.saved')
    saved.connect(() => {})
    saved.send()
    saved.emit()
    saved.sendRobust()
    await saved.sendAsync()
    setTimeout(() => console.log(JSON.stringify(metrics)), 10)
  `
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: path.resolve(__dirname, '../..'),
    encoding: 'utf8',
    timeout: 30_000,
  })
  expect(child.stderr).toBe('')
  expect(child.status).toBe(0)
  // Each send of order.saved published once; the subscriber's own sends are not published again.
  expect(JSON.parse(child.stdout)).toEqual(['order.saved', 'order.saved', 'order.saved', 'order.saved'])
})
