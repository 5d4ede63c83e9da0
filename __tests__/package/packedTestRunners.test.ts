// signalry/testing in the test runners users run it in, as they install it: the `npm pack` tarball
// installed offline into a throwaway project (as in packedConsumers.test.ts), then a small test file
// run by jest, by vitest and by `node --test`. Each file records a signal, uses the matchers or the
// node:test assertions, and has one expectation that fails on purpose: its diff is asserted here.
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { installPacked, type PackedConsumer } from '../helpers/packedPackage'

const root = join(__dirname, '..', '..')
let packed: PackedConsumer
let consumer: string

beforeAll(() => {
  // The runners a consumer installs itself; offline, the repository's copies stand in.
  packed = installPacked('signalry-runners-', ['jest', 'vitest', 'expect'])
  consumer = packed.consumer
}, 120_000)

afterAll(() => {
  packed?.remove()
})

/** Runs a command in the consumer project; returns its exit status and everything it printed. */
function runIn(args: readonly string[]): { status: number | null; output: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', CI: 'true' }
  // This file runs inside jest: the inner runner must not think it is one of its workers.
  delete env['JEST_WORKER_ID']
  delete env['NODE_OPTIONS']
  const result = spawnSync(process.execPath, args, { cwd: consumer, env, encoding: 'utf8', timeout: 120_000 })
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` }
}

const signalFixture = `
const saved = new Signal('Sent after an order is saved.')
const audit = []
saved.connect((sender, payload) => audit.push(payload.id))
`

/** What both runners print when toHaveBeenSentWith fails: the matcher's message and a diff of the payloads. */
function expectSentWithDiff(output: string): void {
  expect(output).toContain('Expected Signal("Sent after an order is saved.") to have been sent with')
  expect(output).toContain('The latest send differs:')
  expect(output).toMatch(/-\s+"id": 9,/)
  expect(output).toMatch(/\+\s+"id": 7,/)
}

test('jest: the matchers pass and fail with a diff, isolate and next() work', () => {
  writeFileSync(
    join(consumer, 'jest.config.json'),
    JSON.stringify({ testEnvironment: 'node', transform: {} }),
  )
  writeFileSync(
    join(consumer, 'orders.test.js'),
    `const { Signal } = require('signalry')
     const { record, isolate } = require('signalry/testing')
     const { signalMatchers } = require('signalry/testing/jest')
     expect.extend(signalMatchers)
     ${signalFixture}
     test('records and matches', async () => {
       const calls = record(saved)
       isolate(saved, calls, () => saved.send('orders', { id: 7 }))
       expect(audit).toEqual([])
       expect(calls).toHaveBeenSent()
       expect(calls).toHaveBeenSentTimes(1)
       expect(calls).toHaveBeenSentWith('orders', { id: 7 })
       expect(calls).not.toHaveBeenSentWith('users', expect.anything())
       const next = calls.next({ timeout: 1000 })
       saved.send('orders', { id: 8 })
       expect(await next).toEqual({ sender: 'orders', payload: { id: 8 } })
       calls.stop()
     })
     test('fails on purpose', () => {
       const calls = record(saved)
       saved.send('orders', { id: 7 })
       expect(calls).toHaveBeenSentWith('orders', { id: 9 })
     })`,
  )
  const { status, output } = runIn([join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci'])
  expect(status).toBe(1)
  expect(output).toMatch(/✓ records and matches/)
  expect(output).toMatch(/✕ fails on purpose/)
  expect(output).toContain('Tests:       1 failed, 1 passed, 2 total')
  expect(output).toContain('expect(recorder).toHaveBeenSentWith(sender, payload)')
  expectSentWithDiff(output)
}, 120_000)

test('vitest: the matchers pass and fail with a diff, through a setup file', () => {
  writeFileSync(
    join(consumer, 'vitest.config.mjs'),
    `export default { test: { setupFiles: ['./vitest.setup.mjs'], include: ['**/*.vitest.mjs'] } }`,
  )
  writeFileSync(
    join(consumer, 'vitest.setup.mjs'),
    `import { expect } from 'vitest'
     import { signalMatchers } from 'signalry/testing/vitest'
     expect.extend(signalMatchers)`,
  )
  writeFileSync(
    join(consumer, 'orders.vitest.mjs'),
    `import { expect, test } from 'vitest'
     import { Signal } from 'signalry'
     import { record, isolate } from 'signalry/testing'
     ${signalFixture}
     test('records and matches', () => {
       const calls = record(saved)
       isolate(saved, calls, () => saved.send('orders', { id: 7 }))
       expect(audit).toEqual([])
       expect(calls).toHaveBeenSent()
       expect(calls).toHaveBeenSentTimes(1)
       expect(calls).toHaveBeenSentWith('orders', { id: 7 })
       expect(calls).not.toHaveBeenSentWith('users', expect.anything())
       calls.stop()
     })
     test('fails on purpose', () => {
       const calls = record(saved)
       saved.send('orders', { id: 7 })
       expect(calls).toHaveBeenSentWith('orders', { id: 9 })
     })`,
  )
  const { status, output } = runIn([join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run'])
  expect(status).toBe(1)
  expect(output).toMatch(/1 failed \| 1 passed/)
  expect(output).toContain('FAIL  orders.vitest.mjs > fails on purpose')
  expectSentWithDiff(output)
}, 120_000)

test('node --test: the assertions pass and fail with node’s diff', () => {
  writeFileSync(
    join(consumer, 'orders.node-test.mjs'),
    `import { test } from 'node:test'
     import { Signal } from 'signalry'
     import { record } from 'signalry/testing'
     import { assertSent, assertSentTimes, assertSentWith } from 'signalry/testing/node'
     ${signalFixture}
     test('records and asserts', () => {
       const calls = record(saved)
       saved.send('orders', { id: 7 })
       assertSent(calls)
       assertSentTimes(calls, 1)
       assertSentWith(calls, 'orders', { id: 7 })
     })
     test('fails on purpose', () => {
       const calls = record(saved)
       saved.send('orders', { id: 7 })
       assertSentWith(calls, 'orders', { id: 9 })
     })`,
  )
  const { status, output } = runIn(['--test', '--test-reporter=spec', 'orders.node-test.mjs'])
  expect(status).toBe(1)
  expect(output).toMatch(/✔ records and asserts/)
  expect(output).toMatch(/✖ fails on purpose/)
  expect(output).toContain(
    'Expected Signal("Sent after an order is saved.") to have been sent with this sender and payload',
  )
  expect(output).toContain('Expected values to be strictly deep-equal:')
  expect(output).toMatch(/\+\s+id: 7/)
  expect(output).toMatch(/-\s+id: 9/)
}, 120_000)
