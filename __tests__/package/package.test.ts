// The package as users get it: the built output in dist/ (made by `npm run build`, which
// `npm test` runs first), loaded by its name through the `exports` map.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as vm from 'node:vm'

const root = join(__dirname, '..', '..')
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'index.js')) || !existsSync(join(root, 'dist', 'index.cjs'))) {
    throw new Error('dist/ is missing: run `npm run build` first (`npm test` does)')
  }
})

function loadBothBuilds(order: 'require-first' | 'import-first') {
  const output = execFileSync(
    process.execPath,
    [join(__dirname, '..', 'fixtures', 'dual-package.mjs'), order],
    {
      cwd: root,
      encoding: 'utf8',
    },
  )
  return JSON.parse(output) as Record<string, unknown>
}

test.each(['require-first', 'import-first'] as const)(
  'signal(name) is one object per process when the ESM and the CJS build are both loaded (%s)',
  (order) => {
    const seen = loadBothBuilds(order)
    expect(seen['resolvedRequire']).toBe(join(root, 'dist', 'index.cjs'))
    expect(seen['resolvedImport']).toBe(`file://${join(root, 'dist', 'index.js')}`)
    expect(seen['twoBuildsLoaded']).toBe(true)
    expect(seen['sameSignal']).toBe(true)
    expect(seen['sameNamespace']).toBe(true)
    expect(seen['sameAny']).toBe(true)
    expect(seen['instanceofAcrossBuilds']).toBe(true)
    expect(seen['received']).toEqual([
      ['cjs-sender', { id: 1 }],
      ['any', 'cjs-sender'],
    ])
    expect(seen['depthSeenByCjs']).toBe(7)
  },
)

const entries = {
  '.': 'index',
  './bridge': 'bridge',
  './broadcast-channel': 'broadcast-channel',
  './redis': 'redis',
  './testing': 'testing',
  './testing/jest': 'testing/jest',
  './testing/vitest': 'testing/vitest',
  './testing/node': 'testing/node',
}

test('the exports map lists types first for each condition, and exports package.json', () => {
  expect(packageJson['exports']).toEqual({
    ...Object.fromEntries(
      Object.entries(entries).map(([path, file]) => [
        path,
        {
          import: { types: `./dist/${file}.d.ts`, default: `./dist/${file}.js` },
          require: { types: `./dist/${file}.d.cts`, default: `./dist/${file}.cjs` },
        },
      ]),
    ),
    './package.json': './package.json',
  })
  const conditions = packageJson['exports'] as Record<string, Record<string, Record<string, string>>>
  for (const path of Object.keys(entries)) {
    for (const condition of Object.values(conditions[path] ?? {}))
      expect(Object.keys(condition)[0]).toBe('types')
  }
  for (const file of Object.values(entries)) {
    for (const extension of ['.js', '.cjs', '.d.ts', '.d.cts'])
      expect(existsSync(join(root, 'dist', file + extension))).toBe(true)
  }
})

test('the core has no runtime dependencies and declares no side effects; the peers of subpaths are optional', () => {
  expect(packageJson['dependencies'] ?? {}).toEqual({})
  // ioredis: signalry/redis. expect and vitest: the types signalry/testing/jest and
  // signalry/testing/vitest add to them (their code imports neither).
  expect(packageJson['peerDependencies']).toEqual({ expect: '>=29.0.0', ioredis: '^5.0.0', vitest: '^4.0.0' })
  expect(packageJson['peerDependenciesMeta']).toEqual({
    expect: { optional: true },
    ioredis: { optional: true },
    vitest: { optional: true },
  })
  expect(packageJson['sideEffects']).toBe(false)
  expect(packageJson['engines']).toEqual({ node: '>=18.18' })
})

test('the built code imports nothing, except node:diagnostics_channel lazily on Node without process.getBuiltinModule', () => {
  for (const file of ['index.js', 'index.cjs']) {
    const code = readFileSync(join(root, 'dist', file), 'utf8')
      .split('\n')
      .filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line))
      .join('\n')
    expect(code).not.toMatch(/\bfrom\s*['"]|\brequire\s*\(\s*['"]/)
    // One dynamic import, of a specifier bundlers do not see (see src/diagnostics.ts).
    expect([...code.matchAll(/\bimport\s*\(\s*(\w+)\s*\)/g)].map((match) => match[1])).toEqual(['specifier'])
    expect([...code.matchAll(/\bimport\s*\(/g)]).toHaveLength(1)
    expect(code).toMatch(/const specifier = "node:diagnostics_channel";/)
  }
})

function importsOf(file: string): string[] {
  const code = readFileSync(join(root, 'dist', file), 'utf8')
  return [...code.matchAll(/(?:^import [^'"]*from\s*|^\s*var \w+ = require\()["']([^'"]+)["']/gm)]
    .map((match) => match[1] as string)
    .sort()
}

test('the subpath builds import only the core by its name (never a copy of it), their peer and Node builtins', () => {
  expect(importsOf('bridge.js')).toEqual(['signalry'])
  expect(importsOf('bridge.cjs')).toEqual(['signalry'])
  expect(importsOf('broadcast-channel.js')).toEqual([])
  expect(importsOf('broadcast-channel.cjs')).toEqual([])
  // node:crypto: random bytes for the bridge's ids on Node 18, which has no global Web Crypto.
  expect(importsOf('redis.js').sort()).toEqual(['ioredis', 'node:crypto'])
  expect(importsOf('redis.cjs').sort()).toEqual(['ioredis', 'node:crypto'])
  expect(new Set(importsOf('testing.js'))).toEqual(new Set(['signalry']))
  expect(new Set(importsOf('testing.cjs'))).toEqual(new Set(['signalry']))
  // The matchers import nothing: jest and vitest hand them what they use.
  for (const file of ['testing/jest', 'testing/vitest']) {
    expect(importsOf(`${file}.js`)).toEqual([])
    expect(importsOf(`${file}.cjs`)).toEqual([])
  }
  expect(importsOf('testing/node.js')).toEqual(['node:assert', 'node:util'])
  expect(importsOf('testing/node.cjs')).toEqual(['node:assert', 'node:util'])
  for (const file of [
    'bridge.js',
    'bridge.cjs',
    'redis.js',
    'broadcast-channel.js',
    'testing.js',
    'testing.cjs',
  ]) {
    expect(readFileSync(join(root, 'dist', file), 'utf8')).not.toMatch(
      /\bclass (Signal|NamedSignal|Namespace)\b/,
    )
  }
})

test('signalry/bridge from the ESM and the CJS build each use that build\u2019s core, and interoperate', () => {
  const output = execFileSync(process.execPath, [join(__dirname, '..', 'fixtures', 'bridge-dist.mjs')], {
    cwd: root,
    encoding: 'utf8',
  })
  expect(JSON.parse(output)).toEqual({
    resolvedImport: `file://${join(root, 'dist', 'bridge.js')}`,
    resolvedRequire: join(root, 'dist', 'bridge.cjs'),
    esmErrorsIsEsmSignal: true,
    cjsErrorsIsCjsSignal: true,
    received: [['esm-side', { n: 1 }]],
  })
})

test('the built type declarations bring the Disposable type with them', () => {
  for (const file of ['index.d.ts', 'index.d.cts']) {
    expect(readFileSync(join(root, 'dist', file), 'utf8')).toMatch(
      /^\/\/\/ <reference lib="esnext\.disposable" \/>/,
    )
  }
})

test('npm pack contains only dist/, README.md, LICENSE and package.json', () => {
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  const [pack] = JSON.parse(output) as Array<{ files: Array<{ path: string }> }>
  const files = (pack?.files ?? []).map((file) => file.path).sort()
  expect(files.filter((path) => !/^(dist\/.+|README\.md|LICENSE|package\.json)$/.test(path))).toEqual([])
  expect(files).toEqual(
    expect.arrayContaining([
      'LICENSE',
      'README.md',
      'package.json',
      'dist/index.js',
      'dist/index.cjs',
      'dist/index.d.ts',
      'dist/index.d.cts',
    ]),
  )
})

test('where the runtime has no Symbol.dispose, scopes are disposable through Symbol.for("Symbol.dispose")', () => {
  // A fresh realm has no Symbol.dispose (Node defines it in the main realm only); registered
  // symbols are shared between realms, so the built CJS code is evaluated there and inspected here.
  const context = vm.createContext({ module: { exports: {} } })
  expect(vm.runInContext('typeof Symbol.dispose', context)).toBe('undefined')
  vm.runInContext(
    `(function (module, exports) {${readFileSync(join(root, 'dist', 'index.cjs'), 'utf8')}\n})(module, module.exports)`,
    context,
  )
  const api = (context['module'] as { exports: typeof import('signalry') }).exports
  const fallback = Symbol.for('Symbol.dispose')
  const sig = new api.Signal()
  const mute = sig.muted() as unknown as Record<symbol, () => void>
  expect(sig.isMuted).toBe(true)
  expect(typeof mute[fallback]).toBe('function')
  mute[fallback]?.()
  expect(sig.isMuted).toBe(false)
  const connection = sig.connectedTo(() => {}) as unknown as Record<symbol, () => void>
  connection[fallback]?.()
  expect(sig.receiverCount).toBe(0)
})
