// Loading the core does no work that can wait for first use: no FinalizationRegistry, no lookup of
// the diagnostics channels, no brands on the signal classes' prototypes. Each is checked in a fresh
// process that watches the built package being loaded by its name (__tests__/fixtures/import-time.mjs).
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

const root = join(__dirname, '..', '..')

interface Seen {
  readonly finalizationRegistries: number
  readonly builtinsLookedUp: readonly string[]
  readonly signalBrands: readonly string[]
  readonly processState: boolean
}

function load(how: 'import' | 'require'): Record<'afterLoad' | 'afterFirstSend' | 'afterWeakConnect', Seen> {
  const output = execFileSync(process.execPath, [join(__dirname, '..', 'fixtures', 'import-time.mjs'), how], {
    cwd: root,
    encoding: 'utf8',
  })
  return JSON.parse(output)
}

describe.each(['import', 'require'] as const)('loading the core through %s', (how) => {
  const seen = load(how)

  test('constructs no FinalizationRegistry until a connection needs one', () => {
    expect(seen.afterLoad.finalizationRegistries).toBe(0)
    expect(seen.afterFirstSend.finalizationRegistries).toBe(0)
    expect(seen.afterWeakConnect.finalizationRegistries).toBe(1)
  })

  test('looks up the diagnostics channels on the first send, not before', () => {
    expect(seen.afterLoad.builtinsLookedUp).toEqual([])
    expect(seen.afterFirstSend.builtinsLookedUp).toEqual(['node:diagnostics_channel'])
  })

  test('brands the signal classes when the first signal is created', () => {
    expect(seen.afterLoad.signalBrands).toEqual([])
    expect(seen.afterFirstSend.signalBrands).toEqual(['signalry.Signal@1', 'signalry.NamedSignal@1'])
  })

  test('makes the process state at load, because defaultNamespace must be one object in every copy', () => {
    // defaultNamespace is an exported constant that the ESM and the CJS build must share
    // (__tests__/package/package.test.ts): whichever copy loads first has to publish it.
    expect(seen.afterLoad.processState).toBe(true)
  })
})
