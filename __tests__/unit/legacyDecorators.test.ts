// @receiver and @sig.connectVia under TypeScript's experimentalDecorators (NestJS, Angular, TypeORM
// projects): the fixture __tests__/fixtures/legacy-decorators/app.ts is compiled by each compiler
// users have in such projects — tsc, esbuild, tsx, swc, each in its legacy-decorator mode — and
// run against the built package.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const root = join(__dirname, '..', '..')
const fixture = join(__dirname, '..', 'fixtures', 'legacy-decorators', 'app.ts')
// Inside the package (git-ignored), so that `signalry` resolves to the built dist/ through `exports`.
const workDir = join(root, '.legacy-decorators')
const legacyOptions = {
  target: 'ES2022',
  module: 'ES2022',
  moduleResolution: 'bundler',
  experimentalDecorators: true,
  strict: true,
  skipLibCheck: true,
  types: ['node'],
}

const expected = {
  decoratorShape: 'legacy',
  seen: [
    'Audit.log shop #1 this=true',
    'mailer.notify shop #1',
    'derived.onPlaced shop',
    'mailer.notify shop #2',
    'derived.onShipped shop #2',
    'Audit.log admin #3 this=true',
    'mailer.audit admin',
    'derived.onPlaced admin',
    'Audit.log shop #4 this=true',
    'derived.onPlaced shop',
  ],
  mailerIsMailer: true,
  placedReceivers: 2,
  classRefused: expect.stringContaining('receiver() expects a function as receiver, got class Mailer'),
}

beforeAll(() => {
  rmSync(workDir, { recursive: true, force: true })
  mkdirSync(workDir, { recursive: true })
})
afterAll(() => rmSync(workDir, { recursive: true, force: true }))

function runJs(file: string): unknown {
  const output = execFileSync(process.execPath, [file], { cwd: root, encoding: 'utf8' })
  return JSON.parse(output.trim().split('\n').pop() as string)
}

test('tsc with experimentalDecorators: the fixture type-checks, and runs as expected', () => {
  const outDir = join(workDir, 'tsc')
  const tsconfig = join(workDir, 'tsconfig.tsc.json')
  writeFileSync(
    tsconfig,
    JSON.stringify({
      compilerOptions: { ...legacyOptions, outDir, rootDir: join(fixture, '..') },
      files: [fixture],
    }),
  )
  try {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', tsconfig], {
      cwd: root,
      encoding: 'utf8',
    })
  } catch (error) {
    throw new Error(`tsc failed:\n${(error as { stdout?: string }).stdout ?? String(error)}`)
  }
  expect(runJs(join(outDir, 'app.js'))).toEqual(expected)
})

test('esbuild with experimentalDecorators runs as expected', () => {
  const esbuild = require('esbuild') as typeof import('esbuild')
  const { code } = esbuild.transformSync(readFileSync(fixture, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'es2022',
    tsconfigRaw: { compilerOptions: { experimentalDecorators: true } },
  })
  const file = join(workDir, 'esbuild.mjs')
  writeFileSync(file, code)
  expect(runJs(file)).toEqual(expected)
})

test('tsx in a project whose tsconfig enables experimentalDecorators runs as expected', () => {
  const tsxCli = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs')
  // tsx reads the tsconfig.json of its working directory: the fixture's, which enables legacy decorators.
  const output = execFileSync(process.execPath, [tsxCli, 'app.ts'], {
    cwd: join(fixture, '..'),
    encoding: 'utf8',
  })
  expect(JSON.parse(output.trim().split('\n').pop() as string)).toEqual(expected)
})

test('swc in legacy decorator mode runs as expected', () => {
  const swc = require('@swc/core') as typeof import('@swc/core')
  const { code } = swc.transformSync(readFileSync(fixture, 'utf8'), {
    filename: 'app.ts',
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true },
      target: 'es2022',
    },
    module: { type: 'es6' },
  })
  const file = join(workDir, 'swc.mjs')
  writeFileSync(file, code)
  expect(runJs(file)).toEqual(expected)
})

test('a class is never connected as a receiver: connect, connectVia and receiver() refuse it', () => {
  const { Signal, receiver } = require('signalry') as typeof import('signalry')
  const saved = new Signal()
  class Listener {}
  expect(() => saved.connect(Listener as never)).toThrow(
    'connect() expects a function as receiver, got class Listener: a class cannot be called without new',
  )
  expect(() => saved.connectVia()(Listener as never)).toThrow(
    'connectVia() expects a function as receiver, got class Listener',
  )
  expect(() => receiver(saved)(Listener as never)).toThrow(
    'receiver() expects a function as receiver, got class Listener',
  )
  // Plain functions, including ones with a prototype, still connect.
  function legacyStyle() {}
  saved.connect(legacyStyle)
  expect(saved.receiverCount).toBe(1)
})

test('a legacy decorator on a property or an accessor is refused with a message', () => {
  const { Signal } = require('signalry') as typeof import('signalry')
  const saved = new Signal()
  const decorate = saved.connectVia() as unknown as (
    target: object,
    key: string,
    descriptor: PropertyDescriptor,
  ) => void
  expect(() => decorate({}, 'size', { get: () => 1 })).toThrow(
    'connectVia() decorates methods, not the accessor size',
  )
  expect(() => decorate({}, 'size', { value: 1 })).toThrow(
    'connectVia() decorates methods, not the property size',
  )
  expect(saved.receiverCount).toBe(0)
})
