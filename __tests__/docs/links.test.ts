// The Markdown pages of the repository link only to what exists: every relative link resolves to a
// file, every `#anchor` to a heading of its page, and every repository path a page names in
// backticks is there. Pages move and sections get renamed; a reader should never land nowhere.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'

const root = join(__dirname, '..', '..')
const pages = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(root, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .sort()
    .map((file) => `docs/${file}`),
]

/** The page without its fenced code blocks, whose brackets and backticks are code, not links. */
function prose(page: string): string {
  const kept: string[] = []
  let inFence = false
  for (const line of readFileSync(join(root, page), 'utf8').split('\n')) {
    if (/^\s*```/.test(line)) inFence = !inFence
    else if (!inFence) kept.push(line)
  }
  return kept.join('\n')
}

/** The anchors GitHub (and TypeDoc) give the headings of a Markdown page. */
function anchorsOf(page: string): Set<string> {
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  for (const [, heading] of prose(page).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = (heading as string)
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-')
    const count = seen.get(slug) ?? 0
    seen.set(slug, count + 1)
    anchors.add(count === 0 ? slug : `${slug}-${count}`)
  }
  return anchors
}

interface Link {
  readonly page: string
  readonly target: string
}

const links: Link[] = pages.flatMap((page) =>
  [...prose(page).matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((match) => ({ page, target: match[1] as string }))
    .filter(({ target }) => !/^[a-z]+:/i.test(target)),
)

test('the pages have relative links to check', () => {
  expect(links.length).toBeGreaterThan(20)
})

test.each(links.map((link) => [link.page, link.target, link] as const))(
  'the link in %s to %s resolves',
  (_page, _target, { page, target }) => {
    const [path, anchor] = target.split('#') as [string, string | undefined]
    const file = path === '' ? page : relative(root, join(root, dirname(page), path))
    expect(existsSync(join(root, file)) ? file : `${file} (missing)`).toBe(file)
    if (anchor !== undefined) {
      expect(file).toMatch(/\.md$/)
      expect([...anchorsOf(file)]).toContain(anchor)
    }
  },
)

test.each(pages)('every repository path named in %s exists', (page) => {
  const named = [
    ...prose(page).matchAll(
      /`((?:__tests__|bench|docs|examples|model|scripts|src|\.ci|\.changeset)\/[^`\s]+)`/g,
    ),
  ]
    .map((match) => match[1] as string)
    // A pattern (`__tests__/types/*.types.ts`) or a placeholder (`.changeset/<slug>.md`) names no one file.
    .filter((path) => !/[*<]/.test(path))
  expect(named.filter((path) => !existsSync(join(root, path)))).toEqual([])
})

test('every guide page of docs/ is linked from the README', () => {
  const linked = new Set(
    links.filter((link) => link.page === 'README.md').map((link) => link.target.split('#')[0] as string),
  )
  expect(pages.filter((page) => page.startsWith('docs/') && !linked.has(page))).toEqual([])
})
