// The entry points are listed once, in package.json `exports`; tsup, jest and TypeDoc derive theirs
// from it (scripts/entries.cjs). tsconfig.json cannot compute, so its `paths` (which let the type
// check resolve `signalry/x` in tests and examples to the sources) are checked against it here.
import { join } from 'node:path'
import ts from 'typescript'
import { packageEntries } from '../../scripts/entries.cjs'

const root = join(__dirname, '..', '..')

test('tsconfig.json paths map exactly the exports of package.json to their sources', () => {
  const { config, error } = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile)
  expect(error).toBeUndefined()
  const paths = (config as { compilerOptions: { paths: Record<string, string[]> } }).compilerOptions.paths
  const expected = Object.fromEntries(
    packageEntries().map(({ specifier, source }) => [specifier, [`./${source}`]]),
  )
  expect(paths).toEqual(expected)
})

test('every export of package.json points at the dist/ files its entry builds', () => {
  const { exports } = require(join(root, 'package.json')) as { exports: Record<string, unknown> }
  for (const { subpath, name } of packageEntries()) {
    expect({ subpath, target: exports[subpath] }).toEqual({
      subpath,
      target: {
        import: { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` },
        require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
      },
    })
  }
})
