// What users see of the library's class names in the built files: esbuild renames a class whose
// body names the class itself (`var Signal = class _Signal`), and stack traces, util.inspect and
// the library's own error messages then say `_Signal`. Checked against dist/, in a child process
// per module format, for every class every entry exports.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { packageEntries } from '../../scripts/entries.cjs'

const root = join(__dirname, '..', '..')

interface Report {
  readonly classes: ReadonlyArray<{
    readonly entry: string
    readonly exported: string
    readonly name: string
    readonly inspected: string | undefined
    readonly message: string | undefined
  }>
  readonly frames: Readonly<Record<'Signal' | 'NamedSignal', string>>
}

function report(format: 'esm' | 'cjs'): Report {
  const entries = JSON.stringify(packageEntries().map(({ specifier }) => ({ specifier })))
  const output = execFileSync(
    process.execPath,
    [join(root, '__tests__/fixtures/class-names.mjs'), format, entries],
    {
      cwd: root,
      encoding: 'utf8',
    },
  )
  return JSON.parse(output) as Report
}

describe.each(['esm', 'cjs'] as const)('the %s build', (format) => {
  const { classes, frames } = report(format)

  test('exports the classes users construct or catch', () => {
    expect(classes.map(({ exported }) => exported).sort()).toEqual([
      'AsyncReceiverError',
      'Bridge',
      'EventsOverflowError',
      'LeakedReceiversError',
      'NamedSignal',
      'Namespace',
      'Recorder',
      'SendDepthError',
      'Signal',
    ])
  })

  test('every exported class keeps its source name: name, util.inspect and error messages', () => {
    for (const { entry, exported, name, inspected, message } of classes) {
      // An object per class, so that a failure says which class of which entry.
      expect({ entry, exported, name }).toEqual({ entry, exported, name: exported })
      expect({
        exported,
        inspected: inspected?.startsWith(`${exported} {`) || inspected?.startsWith(`${exported}: `),
      }).toEqual({
        exported,
        inspected: true,
      })
      expect({ exported, inspected: inspected?.includes(`_${exported}`) }).toEqual({
        exported,
        inspected: false,
      })
      expect({ exported, message }).toEqual({
        exported,
        message: `connect() expects a function as receiver, got a ${exported}`,
      })
    }
  })

  test('stack traces name the class of the method', () => {
    expect(frames.Signal).toMatch(/^\s+at Signal\.emit \(/)
    expect(frames.NamedSignal).toMatch(/^\s+at NamedSignal\.emit \(/)
  })
})
