// The API reference is complete. Its entries are package.json `exports` (scripts/entries.cjs, as for
// tsup and TypeDoc), so the public surface is never written down a second time here:
// - TypeDoc (typedoc.config.mjs) finds every export and every public member documented, and every
//   {@link} resolves;
// - every export also has an @example (a rule TypeDoc cannot check; docExamples.test.ts runs them);
// - what the built package exports is what the sources export, so the reference documents it all.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { packageEntries } from '../../scripts/entries.cjs'

const root = join(__dirname, '..', '..')
const entries = packageEntries()

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'index.d.ts')))
    throw new Error('dist/ is missing: run `npm run build` first')
})

interface Exported {
  readonly name: string
  readonly isValue: boolean
  readonly summary: string
  readonly tags: string[]
}

/** What each file exports: names, whether each is a value, and its TSDoc (aliases resolved). */
function exportsOf(files: readonly string[]): Exported[][] {
  const program = ts.createProgram([...files], {
    target: ts.ScriptTarget.ES2022,
    // Resolved as the build resolves them, so that the testing entries' augmentations of jest's
    // and vitest's modules find those modules (and are not taken for exports of their own).
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    lib: ['lib.es2022.d.ts', 'lib.esnext.disposable.d.ts', 'lib.dom.d.ts'],
    baseUrl: root,
    // The subpath entries import the core by its name.
    paths: { signalry: ['./src/index.ts'] },
  })
  const checker = program.getTypeChecker()
  return files.map((file) => {
    const moduleSymbol = checker.getSymbolAtLocation(
      program.getSourceFile(file) as ts.SourceFile,
    ) as ts.Symbol
    return checker.getExportsOfModule(moduleSymbol).map((exported) => {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported
      return {
        name: exported.getName(),
        isValue: (symbol.flags & ts.SymbolFlags.Value) !== 0,
        summary: ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim(),
        tags: symbol.getJsDocTags(checker).map((tag) => tag.name),
      }
    })
  })
}

const sourceExports = exportsOf(entries.map(({ source }) => join(root, source)))
const documented = entries.flatMap(({ specifier }, index) =>
  (sourceExports[index] ?? []).map((exported) => [`${specifier}: ${exported.name}`, exported] as const),
)

test('every entry of package.json exports has exports to document', () => {
  expect(entries.map(({ specifier }) => specifier)).toContain('signalry')
  expect(sourceExports.every((names) => names.length > 0)).toBe(true)
})

test.each(documented)('export %s has a summary and an @example', (_name, { summary, tags }) => {
  expect(summary).not.toBe('')
  expect(tags).toContain('example')
})

/** The export names of each built entry, as `import` and `require` see them. */
function runtimeExports(): Record<string, { esm: string[]; cjs: string[] }> {
  const script = `
    import { createRequire } from 'node:module'
    const require = createRequire(import.meta.url)
    const names = ${JSON.stringify(entries.map(({ name }) => name))}
    const result = {}
    for (const name of names) {
      const esm = Object.keys(await import('./dist/' + name + '.js')).sort()
      const cjs = Object.keys(require('./dist/' + name + '.cjs')).sort()
      result[name] = { esm, cjs }
    }
    console.log(JSON.stringify(result))`
  const output = execFileSync(process.execPath, ['--input-type=module', '--eval', script], {
    cwd: root,
    encoding: 'utf8',
  })
  return JSON.parse(output) as Record<string, { esm: string[]; cjs: string[] }>
}

test('the built package declares (.d.ts, .d.cts) and exports (ESM, CJS) what the sources export', () => {
  const runtime = runtimeExports()
  for (const [index, { name, specifier }] of entries.entries()) {
    const exported = sourceExports[index] ?? []
    const names = exported.map((each) => each.name).sort()
    const values = exported
      .filter((each) => each.isValue)
      .map((each) => each.name)
      .sort()
    const declared = exportsOf([join(root, 'dist', `${name}.d.ts`), join(root, 'dist', `${name}.d.cts`)])
    expect({ specifier, declared: declared.map((file) => file.map((each) => each.name).sort()) }).toEqual({
      specifier,
      declared: [names, names],
    })
    expect({ specifier, ...runtime[name] }).toEqual({ specifier, esm: values, cjs: values })
  }
}, 30_000)

test('TypeDoc finds every export and public member documented, and every {@link} resolving', () => {
  // treatWarningsAsErrors (typedoc.config.mjs): any warning exits non-zero, with the warning printed.
  const typedoc = join(root, 'node_modules', 'typedoc', 'bin', 'typedoc')
  const run = () =>
    execFileSync(process.execPath, [typedoc, '--emit', 'none'], {
      cwd: root,
      encoding: 'utf8',
      stdio: 'pipe',
    })
  expect(run).not.toThrow()
}, 120_000)
