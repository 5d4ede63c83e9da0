// The package as a user installs it: `npm pack`, then the tarball installed into a throwaway
// consumer project (offline: the package has no dependencies), then used the ways users use it —
// ESM import, CJS require, both in one process, TypeScript with moduleResolution node16 and
// bundler — for every subpath of the `exports` map. (package.test.ts checks the unpacked dist/.)
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { installPacked, type PackedConsumer } from '../helpers/packedPackage'

const root = join(__dirname, '..', '..')
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
// The oldest TypeScript the README claims (`using`, `Disposable`: 5.2), a devDependency alias.
const oldestTsc = join(root, 'node_modules', 'typescript-5.2', 'bin', 'tsc')
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string
  exports: Record<string, unknown>
  peerDependencies?: Record<string, string>
}

/** Every subpath the package exports, as a consumer writes it: `signalry`, `signalry/x`. */
const specifiers = Object.keys(packageJson.exports).map((subpath) =>
  subpath === '.' ? packageJson.name : `${packageJson.name}/${subpath.slice(2)}`,
)
/** Exported code modules (not JSON files). */
const codeSpecifiers = specifiers.filter((specifier) => !specifier.endsWith('.json'))

let packed: PackedConsumer
let consumer: string

function run(file: string): string {
  return execFileSync(process.execPath, [file], { cwd: consumer, encoding: 'utf8' }).trim()
}

function typeCheck(project: string, compiler = tsc): void {
  try {
    execFileSync(process.execPath, [compiler, '-p', project], { cwd: consumer, encoding: 'utf8' })
  } catch (error) {
    throw new Error(
      `the TypeScript consumer (${project}) does not type-check:\n${(error as { stdout?: string }).stdout ?? String(error)}`,
    )
  }
}

beforeAll(() => {
  // A consumer of a subpath that needs a peer dependency (an optional one: npm does not install it)
  // installs it; offline, the repository's copy stands in.
  packed = installPacked('signalry-consumers-', Object.keys(packageJson.peerDependencies ?? {}))
  consumer = packed.consumer
}, 120_000)

afterAll(() => {
  packed?.remove()
})

test('the package exports something to check', () => {
  expect(specifiers).toContain('signalry')
  expect(specifiers).toContain('signalry/package.json')
})

test('an ES module consumer imports the package', () => {
  writeFileSync(
    join(consumer, 'esm.mjs'),
    `import { signal, Signal, ANY } from 'signalry'
     const seen = []
     signal('esm.saved').connect((sender, payload) => seen.push([sender, payload]), { sender: 'orders' })
     signal('esm.saved').send('orders', 1)
     console.log(JSON.stringify({ seen, any: typeof ANY, isSignal: signal('esm.saved') instanceof Signal }))`,
  )
  expect(JSON.parse(run('esm.mjs'))).toEqual({ seen: [['orders', 1]], any: 'symbol', isSignal: true })
})

test('a CommonJS consumer requires the package', () => {
  writeFileSync(
    join(consumer, 'cjs.cjs'),
    `const { signal, Signal } = require('signalry')
     const seen = []
     signal('cjs.saved').connect((sender, payload) => seen.push([sender, payload]))
     signal('cjs.saved').send('orders', 2)
     console.log(JSON.stringify({ seen, file: require.resolve('signalry').endsWith('.cjs'), isSignal: signal('x') instanceof Signal }))`,
  )
  expect(JSON.parse(run('cjs.cjs'))).toEqual({ seen: [['orders', 2]], file: true, isSignal: true })
})

test('import and require in one process load both builds and share signal("x")', () => {
  writeFileSync(
    join(consumer, 'both.mjs'),
    `import { createRequire } from 'node:module'
     const cjs = createRequire(import.meta.url)('signalry')
     const esm = await import('signalry')
     const seen = []
     cjs.signal('x').connect((sender) => seen.push(sender))
     esm.signal('x').send('from esm')
     console.log(JSON.stringify({ twoBuilds: cjs.Signal !== esm.Signal, same: cjs.signal('x') === esm.signal('x'), seen }))`,
  )
  expect(JSON.parse(run('both.mjs'))).toEqual({ twoBuilds: true, same: true, seen: ['from esm'] })
})

test('every subpath export resolves and loads through import and require', () => {
  const checks = specifiers.map((specifier) => {
    const json = specifier.endsWith('.json')
    return `{
      const imported = await import(${JSON.stringify(specifier)}${json ? ", { with: { type: 'json' } }" : ''})
      const required = require(${JSON.stringify(specifier)})
      results[${JSON.stringify(specifier)}] = {
        imported: Object.keys(imported).length > 0,
        required: Object.keys(required).length > 0,
      }
    }`
  })
  writeFileSync(
    join(consumer, 'subpaths.mjs'),
    `import { createRequire } from 'node:module'
     const require = createRequire(import.meta.url)
     const results = {}
     ${checks.join('\n')}
     console.log(JSON.stringify(results))`,
  )
  const results = JSON.parse(run('subpaths.mjs')) as Record<string, unknown>
  expect(Object.keys(results)).toEqual(specifiers)
  for (const specifier of specifiers) expect(results[specifier]).toEqual({ imported: true, required: true })
})

/**
 * Consumer code that uses the types. It must compile, and a wrong payload must not: were the types
 * missing or `any`, the unused `@ts-expect-error` would fail the check.
 */
function typedUsage(extraImports: string): string {
  return `import { signal, Signal, type SendResult } from 'signalry'
${extraImports}
const saved = signal<{ id: number }, string>('typed.saved')
saved.connect((sender: string, payload: { id: number }) => payload.id)
const results: SendResult<{ id: number }, string> = saved.send('orders', { id: 1 })
// @ts-expect-error the payload type flows from the signal
saved.send('orders', { id: 'one' })
{
  using _scope = new Signal().muted()
}
export { results }
`
}

const subpathImports = (prefix: string) =>
  codeSpecifiers
    .map((specifier, index) => `import * as ${prefix}${index} from '${specifier}'\nvoid ${prefix}${index}`)
    .join('\n')

function tsconfig(compilerOptions: Record<string, unknown>, include: string[]): string {
  return JSON.stringify({
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: 'ES2022',
      lib: ['ES2022', 'DOM'],
      types: [],
      // Check the package's own declaration files too.
      skipLibCheck: false,
      ...compilerOptions,
    },
    include,
  })
}

test('a TypeScript consumer with moduleResolution node16 type-checks, from ESM and from CJS files', () => {
  mkdirSync(join(consumer, 'node16'), { recursive: true })
  writeFileSync(join(consumer, 'node16', 'esm.mts'), typedUsage(subpathImports('esm')))
  writeFileSync(join(consumer, 'node16', 'cjs.cts'), typedUsage(subpathImports('cjs')))
  writeFileSync(
    join(consumer, 'tsconfig.node16.json'),
    tsconfig({ module: 'node16', moduleResolution: 'node16' }, ['node16/*.mts', 'node16/*.cts']),
  )
  typeCheck('tsconfig.node16.json')
}, 60_000)

test('a TypeScript consumer with moduleResolution bundler type-checks', () => {
  mkdirSync(join(consumer, 'bundler'), { recursive: true })
  writeFileSync(join(consumer, 'bundler', 'app.ts'), typedUsage(subpathImports('sub')))
  writeFileSync(
    join(consumer, 'tsconfig.bundler.json'),
    tsconfig({ module: 'esnext', moduleResolution: 'bundler' }, ['bundler/*.ts']),
  )
  typeCheck('tsconfig.bundler.json')
}, 60_000)

test('the oldest claimed TypeScript (5.2) type-checks the declarations with skipLibCheck false', () => {
  expect(JSON.parse(readFileSync(join(oldestTsc, '..', '..', 'package.json'), 'utf8')).version).toBe('5.2.2')
  mkdirSync(join(consumer, 'oldest'), { recursive: true })
  writeFileSync(join(consumer, 'oldest', 'app.ts'), typedUsage(subpathImports('old')))
  writeFileSync(
    join(consumer, 'tsconfig.oldest.json'),
    // TypeScript 5.2 has `Disposable` and `using` in the esnext.disposable library only.
    tsconfig({ module: 'esnext', moduleResolution: 'bundler', lib: ['ES2022', 'ESNext.Disposable', 'DOM'] }, [
      'oldest/*.ts',
    ]),
  )
  typeCheck('tsconfig.oldest.json', oldestTsc)
}, 60_000)
