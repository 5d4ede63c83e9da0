// Every code example in the TSDoc of src/, in README.md and in the guide pages of docs/ compiles,
// runs against the built package, and prints what its `// Prints:` comments say — so the
// documentation cannot drift from the code.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'

const root = join(__dirname, '..', '..')
// Inside the package (and git-ignored), so that `import ... from 'signalry'` resolves to the built dist/ through the
// package's own `exports`, as it does for users.
const workDir = join(root, '.doc-examples')

interface DocExample {
  /** Where the example is: file and line of its first code line. */
  readonly where: string
  readonly id: string
  readonly code: string
}

function examplesFromTsDoc(file: string): DocExample[] {
  const lines = readFileSync(file, 'utf8').split('\n')
  const examples: DocExample[] = []
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\* @example\s*$/.test(lines[i] as string)) continue
    const fence = i + 1
    if (!/^\s*\* ```ts\s*$/.test(lines[fence] as string))
      throw new Error(`${file}:${fence + 1}: @example without a ts fence`)
    const code: string[] = []
    let j = fence + 1
    for (; !/^\s*\* ```\s*$/.test(lines[j] as string); j++)
      code.push((lines[j] as string).replace(/^\s*\* ?/, ''))
    examples.push(exampleAt(file, fence + 2, code.join('\n')))
    i = j
  }
  return examples
}

function examplesFromMarkdown(file: string): DocExample[] {
  const lines = readFileSync(file, 'utf8').split('\n')
  const examples: DocExample[] = []
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```ts') continue
    const code: string[] = []
    let j = i + 1
    for (; lines[j] !== '```'; j++) code.push(lines[j] as string)
    examples.push(exampleAt(file, i + 2, code.join('\n')))
    i = j
  }
  return examples
}

function exampleAt(file: string, line: number, code: string): DocExample {
  const where = `${relative(root, file)}:${line}`
  return { where, id: where.replace(/[^A-Za-z0-9]+/g, '-'), code }
}

/**
 * The lines the example says it prints: each `// Prints: <line>` comment, in order. A remark may
 * follow the printed text after " — ".
 */
function expectedOutput(code: string): string[] {
  return [...code.matchAll(/\/\/ Prints: (.*)$/gm)].map((match) =>
    (match[1] as string).split(' — ')[0]!.trimEnd(),
  )
}

const sourceDir = join(root, 'src')
const docsDir = join(root, 'docs')
// The Markdown pages users read: the README and every guide page of docs/ (TypeDoc renders them).
const markdownPages = [
  'README.md',
  ...readdirSync(docsDir)
    .filter((file) => file.endsWith('.md'))
    .sort()
    .map((file) => `docs/${file}`),
]
// Guide pages that are prose only (how things are measured and tested, a list of answers): every
// other page shows what it explains in at least one checked example.
const prosePages = new Set(['docs/reliability.md', 'docs/bridge.md'])
const examplesByPage = new Map(markdownPages.map((page) => [page, examplesFromMarkdown(join(root, page))]))
const examples = [
  ...(readdirSync(sourceDir, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.ts'))
    .sort()
    .flatMap((file) => examplesFromTsDoc(join(sourceDir, file))),
  ...[...examplesByPage.values()].flat(),
]

beforeAll(() => {
  rmSync(workDir, { recursive: true, force: true })
  mkdirSync(join(workDir, 'src'), { recursive: true })
  for (const example of examples) {
    // `export {}` makes every example a module of its own, so their top-level names don't clash.
    writeFileSync(join(workDir, 'src', `${example.id}.ts`), `${example.code}\nexport {}\n`)
  }
  writeFileSync(
    join(workDir, 'tsconfig.json'),
    JSON.stringify({
      extends: join(root, 'tsconfig.json'),
      compilerOptions: {
        noEmit: false,
        outDir: join(workDir, 'out'),
        rootDir: join(workDir, 'src'),
        // Examples are read, not maintained: unused locals in them are fine.
        noUnusedLocals: false,
        // Type-check against the built declarations, as users do.
        paths: {},
        types: ['node'],
      },
      include: [join(workDir, 'src')],
    }),
  )
  try {
    execFileSync(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-p', join(workDir, 'tsconfig.json')],
      {
        cwd: root,
        encoding: 'utf8',
      },
    )
  } catch (error) {
    const output = (error as { stdout?: string }).stdout ?? String(error)
    throw new Error(
      `documentation examples do not compile:\n${output.split(join(workDir, 'src')).join('<example>')}`,
    )
  }
}, 60_000)

test('the documentation has examples', () => {
  expect(examples.length).toBeGreaterThan(20)
})

test.each(markdownPages.filter((page) => !prosePages.has(page)))('%s has checked examples', (page) => {
  expect(examplesByPage.get(page)?.length).toBeGreaterThan(0)
})

test.each(markdownPages)('every TypeScript or JavaScript block of %s is a checked ```ts block', (page) => {
  // A fence the extraction would miss — another language tag for the same code, an indented fence
  // (in a list), a ```ts with trailing text — would leave its example unchecked without a word.
  const fences = readFileSync(join(root, page), 'utf8')
    .split('\n')
    .map((line, index) => ({ line, where: `${page}:${index + 1}` }))
    .filter(({ line }) => /^\s*```\s*(ts|tsx|typescript|js|jsx|javascript|mjs|cjs|mts|cts)\b/i.test(line))
  expect(fences.filter(({ line }) => line !== '```ts').map(({ where, line }) => `${where}: ${line}`)).toEqual(
    [],
  )
  expect(fences).toHaveLength(examplesByPage.get(page)?.length ?? 0)
})

test('the prose-only pages exist and have no code to check', () => {
  for (const page of prosePages) expect(examplesByPage.get(page)).toEqual([])
})

test.each(examples.map((example) => [example.where, example] as const))(
  'the example at %s runs and prints what it says',
  (_where, example) => {
    const output = execFileSync(process.execPath, [join(workDir, 'out', `${example.id}.js`)], {
      cwd: root,
      encoding: 'utf8',
    })
    const printed = output.split('\n').filter((line) => line !== '')
    expect(printed).toEqual(expectedOutput(example.code))
  },
)
