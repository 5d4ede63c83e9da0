// The registry recipe of the README, compiled as a consumer compiles it: against the built type
// declarations in dist/ (made by `npm run build`, which `npm test` runs first), resolved through the
// package's `exports` map from node_modules/signalry. ESM consumers get dist/index.d.ts and CommonJS
// ones dist/index.d.cts; augmenting 'signalry' must reach SignalTypes in both.
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'

const root = join(__dirname, '..', '..')
const fixtures = join(__dirname, '..', 'fixtures', 'typed-registry')
const tsc = require.resolve('typescript/bin/tsc')
const projects = ['node16-esm', 'node16-cjs', 'bundler']
/** The one recipe, copied into each project (git-ignored there): a project's package.json decides its module kind. */
const recipe = join(fixtures, 'signals.ts')

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'index.d.ts')) || !existsSync(join(root, 'dist', 'index.d.cts'))) {
    throw new Error('dist/ is missing: run `npm run build` first (`npm test` does)')
  }
  // node_modules/signalry -> the package root, as `npm install` of a local path would make it.
  const link = join(fixtures, 'node_modules', 'signalry')
  if (existsSync(link) || lstatSync(link, { throwIfNoEntry: false }) !== undefined)
    rmSync(link, { force: true })
  mkdirSync(join(fixtures, 'node_modules'), { recursive: true })
  symlinkSync(root, link, 'dir')
  for (const project of projects) copyFileSync(recipe, join(fixtures, project, 'signals.ts'))
})

/** Compiles a fixture project; returns the files the compilation read, or throws with tsc's output. */
function compile(project: string): string[] {
  try {
    const output = execFileSync(
      process.execPath,
      [tsc, '-p', join(fixtures, project, 'tsconfig.json'), '--listFiles'],
      {
        cwd: join(fixtures, project),
        encoding: 'utf8',
      },
    )
    return output.split('\n').filter((line) => line !== '')
  } catch (error) {
    throw new Error(`${project} does not compile:\n${(error as { stdout?: string }).stdout ?? String(error)}`)
  }
}

test('the recipe augments the registry of the package', () => {
  expect(readFileSync(recipe, 'utf8')).toContain("declare module 'signalry'")
})

test.each([
  ['node16-esm', 'moduleResolution node16, "type": "module"', 'index.d.ts'],
  ['node16-cjs', 'moduleResolution node16, "type": "commonjs"', 'index.d.cts'],
  ['bundler', 'moduleResolution bundler', 'index.d.ts'],
])(
  'the registry recipe type-checks in %s (%s) against dist/%s',
  (project, _setup, declarations) => {
    const files = compile(project)
    // tsc lists the package's files by their real path, through the symlink.
    const fromPackage = files.filter(
      (file) => file.startsWith(join(root, 'dist')) || file.startsWith(join(root, 'src')),
    )
    expect(fromPackage).toEqual([join(root, 'dist', declarations)])
  },
  60_000,
)
