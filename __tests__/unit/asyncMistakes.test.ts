// A promise returned to a synchronous send (send, emit, sendRobust) by a receiver that is not a native
// async function never vanishes: the receiver is warned about once, and a rejection is reported as an
// AsyncReceiverError with the original error as its cause. Each scenario runs in a Node process of its
// own (__tests__/fixtures/async-mistakes.ts), where warnings and unhandled rejections are Node's own.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

interface Reported {
  warnings: Array<{ name: string; message: string }>
  rejections: Array<{
    name: string
    message: string
    cause: string | undefined
    receiver: string | undefined
  }>
}

function run(scenario: string, method = 'send'): Reported {
  const fixture = join(__dirname, '..', 'fixtures', 'async-mistakes.ts')
  const output = execFileSync(process.execPath, ['--import', 'tsx', fixture, scenario, method], {
    encoding: 'utf8',
  })
  return JSON.parse(output.trim().split('\n').pop() as string) as Reported
}

const methods = ['send', 'emit', 'sendRobust'] as const

test.each(methods)(
  '%s warns once per receiver that returns a promise, naming it and pointing at the async send',
  (method) => {
    const { warnings, rejections } = run('resolved twice', method)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]?.message).toContain(
      `Receiver saveLater of signal "app.saved" returned a promise to ${method}()`,
    )
    expect(warnings[0]?.message).toContain(method === 'sendRobust' ? 'sendAsyncRobust()' : 'sendAsync()')
    expect(rejections).toEqual([])
  },
)

test('a rejection of a promise returned to emit (which drops results) is an AsyncReceiverError with the original as cause', () => {
  const { rejections } = run('rejected', 'emit')
  expect(rejections).toEqual([
    {
      name: 'AsyncReceiverError',
      message: expect.stringContaining(
        'receiver failLater of signal "app.saved" returned to emit() rejected: disk full',
      ),
      cause: 'disk full',
      receiver: 'failLater',
    },
  ])
})

test.each(['send', 'sendRobust'] as const)(
  '%s returns the promise in its results and leaves its rejection to the caller (no second report)',
  (method) => {
    // The fixture ignores the results: Node reports the caller's unhandled promise, once, as it is.
    const { warnings, rejections } = run('rejected', method)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]?.message).toContain(`${method}() returns the promise in its results`)
    expect(rejections).toEqual([
      { name: 'Error', message: 'disk full', cause: undefined, receiver: undefined },
    ])
  },
)

test('a receiver connected for a specific sender is caught too (the general send path)', () => {
  const { warnings, rejections } = run('rejected for a sender', 'emit')
  expect(warnings).toHaveLength(1)
  expect(rejections.map(({ name, cause }) => [name, cause])).toEqual([['AsyncReceiverError', 'disk full']])
})

test('plain values, objects with a non-function then and hostile objects are no promises', () => {
  expect(run('plain results', 'send')).toEqual({ warnings: [], rejections: [] })
})

test('a thenable that is not a native promise is recognised and its rejection reported', () => {
  const { warnings, rejections } = run('thenable', 'emit')
  expect(warnings.map(({ message }) => message.split(' ')[1])).toEqual(['thenable'])
  expect(rejections.map(({ cause }) => cause)).toEqual(['thenable failed'])
})

test('sendAsync awaits such receivers: no warning, and the caller handles the rejection', () => {
  expect(run('awaited by sendAsync')).toEqual({ warnings: [], rejections: [] })
})
