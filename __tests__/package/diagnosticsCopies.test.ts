// Test runners evaluate a package once per test file: copies of signalry come and go in one process.
// A subscriber must hear the sends of whichever copy is current (a flaky test in this suite found
// that on Node 20 it did not; see KEPT_CHANNELS in src/shared/channels.ts).
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

const root = join(__dirname, '..', '..')

test('a subscriber to signalry:send hears a later copy of the package after an earlier copy was collected', () => {
  const output = execFileSync(
    process.execPath,
    ['--expose-gc', join(__dirname, '..', 'fixtures', 'channel-copies.cjs'), join(root, 'dist', 'index.cjs')],
    { cwd: root, encoding: 'utf8' },
  )
  expect(JSON.parse(output)).toEqual({ heard: 2 })
})
