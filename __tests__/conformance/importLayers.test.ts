// The modules of src/ form layers, each importing only from its own layer or the ones below, with
// no import circle (type-only imports included: a circle of types is still a circle of modules).
import { readdirSync, readFileSync } from 'node:fs'
import * as path from 'node:path'

const src = path.resolve(__dirname, '../../src')

/**
 * Lowest first. A module may import from its own layer and the layers below it, never above.
 * - shared: pure leaves (brands, process state, dispose symbols, descriptions, guards, validation);
 * - engine: the connection table and what it is built from;
 * - parts: what Signal is built from, none of which imports Signal (decorators and events work on
 *   any branded signal, diagnostics publishes what it is given);
 * - signal: the Signal class;
 * - named: NamedSignal, Namespace, its wildcard subscriptions and the typed registry;
 * - index: the public entry; bridge: the bridge and its transports, which import the core by its
 *   package name (that is, the index); testing: signalry/testing and its runner entries, which
 *   import the core by its package name too.
 */
const PARTS = [
  'options.ts',
  'types.ts',
  'scope.ts',
  'diagnostics.ts',
  'async.ts',
  'events.ts',
  'decorators.ts',
  'mutes.ts',
]
const LAYERS: ReadonlyArray<readonly [name: string, matches: (file: string) => boolean]> = [
  ['shared', (file) => file.startsWith('shared/')],
  ['engine', (file) => file.startsWith('engine/')],
  ['parts', (file) => PARTS.includes(file)],
  ['signal', (file) => file === 'signal.ts'],
  ['named', (file) => ['namedSignal.ts', 'patterns.ts', 'namespace.ts', 'registry.ts'].includes(file)],
  ['index', (file) => file === 'index.ts'],
  [
    'bridge',
    (file) =>
      file.startsWith('bridge/') || (file.startsWith('entries/') && !file.startsWith('entries/testing')),
  ],
  ['testing', (file) => file.startsWith('testing/') || file.startsWith('entries/testing')],
]

function sourceFiles(dir = src): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(full)
    return entry.name.endsWith('.ts') ? [path.relative(src, full).split(path.sep).join('/')] : []
  })
}

function layerOf(file: string): number {
  const index = LAYERS.findIndex(([, matches]) => matches(file))
  if (index === -1) throw new Error(`src/${file} belongs to no layer: add it to LAYERS in this test`)
  return index
}

/** The src/ files `file` imports (static imports and re-exports, type-only ones included). */
function importsOf(file: string): string[] {
  const code = readFileSync(path.join(src, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '') // TSDoc examples import 'signalry' too
    .replace(/^\s*\/\/.*$/gm, '')
  const statements = code.matchAll(/^\s*(?:import|export)\s[^;'"]*?from\s+['"]([^'"]+)['"]/gm)
  const specifiers = [...statements].map((match) => match[1] as string)
  return specifiers.flatMap((specifier) => {
    if (specifier === 'signalry') return ['index.ts']
    if (specifier.startsWith('signalry/')) return [`entries/${specifier.slice('signalry/'.length)}.ts`]
    if (!specifier.startsWith('.')) return [] // node: built-ins, ioredis
    return [path.posix.normalize(path.posix.join(path.posix.dirname(file), `${specifier}.ts`))]
  })
}

const files = sourceFiles()
const graph = new Map(files.map((file) => [file, importsOf(file)]))

test('every import of src/ resolves to a file of src/', () => {
  const unresolved = [...graph].flatMap(([file, imports]) =>
    imports.filter((imported) => !files.includes(imported)).map((imported) => `${file} -> ${imported}`),
  )
  expect(unresolved).toEqual([])
})

test('no module imports from a layer above its own', () => {
  const upward: string[] = []
  for (const [file, imports] of graph) {
    for (const imported of imports) {
      if (layerOf(imported) <= layerOf(file)) continue
      upward.push(
        `${file} (${LAYERS[layerOf(file)]?.[0]}) imports ${imported} (${LAYERS[layerOf(imported)]?.[0]})`,
      )
    }
  }
  expect(upward).toEqual([])
})

test('there is no import circle', () => {
  const circles: string[] = []
  const state = new Map<string, 'visiting' | 'done'>()
  const stack: string[] = []
  const visit = (file: string): void => {
    state.set(file, 'visiting')
    stack.push(file)
    for (const imported of graph.get(file) ?? []) {
      const seen = state.get(imported)
      if (seen === 'visiting') circles.push([...stack.slice(stack.indexOf(imported)), imported].join(' -> '))
      else if (seen === undefined) visit(imported)
    }
    stack.pop()
    state.set(file, 'done')
  }
  for (const file of files) if (state.get(file) === undefined) visit(file)
  expect(circles).toEqual([])
})

test('the rules the layers alone do not cover', () => {
  // decorators.ts recognises a signal by its brand; diagnostics.ts never reaches back into one.
  expect(graph.get('decorators.ts')).not.toContain('signal.ts')
  expect(graph.get('diagnostics.ts')).not.toContain('signal.ts')
  // Options are validated without knowing how connections hold their owners.
  expect(graph.get('options.ts')).not.toContain('engine/lifetimes.ts')
  // Only the table and the signal reach the records and groups; the table alone builds plans.
  const usersOfConnections = files.filter((file) => graph.get(file)?.includes('engine/connections.ts'))
  expect(usersOfConnections.sort()).toEqual([
    'engine/lifetimes.ts',
    'engine/receiverIndex.ts',
    'engine/table.ts',
    'signal.ts',
    'types.ts',
  ])
})

test('the test knows every layer it checks: a file of each layer exists', () => {
  for (const [name, matches] of LAYERS) expect(`${name}: ${files.some(matches)}`).toBe(`${name}: true`)
})
