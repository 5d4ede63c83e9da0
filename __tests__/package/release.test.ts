// The release flow of CONTRIBUTING.md: every pending changeset is well formed, and `npm run version`
// (changeset version) turns them into a version bump and CHANGELOG.md. Run in a throwaway copy, so
// the repository itself is never bumped.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = join(__dirname, '..', '..')
const changesetDir = join(root, '.changeset')
const changesets = readdirSync(changesetDir).filter((file) => file.endsWith('.md') && file !== 'README.md')
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; scripts: Record<string, string> }

test('there are pending changesets', () => {
  expect(changesets.length).toBeGreaterThan(0)
})

test.each(changesets)('changeset %s bumps signalry and says what changed for users', (file) => {
  const text = readFileSync(join(changesetDir, file), 'utf8')
  const match = /^---\n(["']?)signalry\1: (major|minor|patch)\n---\n\n(\S[\s\S]*)$/.exec(text)
  expect(match).not.toBeNull()
  expect((match?.[3] ?? '').trim().length).toBeGreaterThan(20)
})

test('npm run version turns the changesets into a version bump and CHANGELOG.md', () => {
  expect(packageJson.scripts['version']).toBe('changeset version')
  const copy = mkdtempSync(join(tmpdir(), 'signalry-release-'))
  try {
    cpSync(join(root, 'package.json'), join(copy, 'package.json'))
    cpSync(changesetDir, join(copy, '.changeset'), { recursive: true })
    execFileSync(process.execPath, [require.resolve('@changesets/cli/bin.js'), 'version'], { cwd: copy, stdio: 'ignore' })
    const bumped = JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8')) as { version: string }
    expect(bumped.version).not.toBe(packageJson.version)
    const changelog = readFileSync(join(copy, 'CHANGELOG.md'), 'utf8')
    expect(changelog.startsWith(`# signalry\n\n## ${bumped.version}\n`)).toBe(true)
    for (const file of changesets) {
      const firstLine = readFileSync(join(changesetDir, file), 'utf8').split('\n---\n')[1]?.trim().split('\n')[0] ?? ''
      expect(changelog).toContain(firstLine)
      expect(existsSync(join(copy, '.changeset', file))).toBe(false)
    }
  } finally {
    rmSync(copy, { recursive: true, force: true })
  }
}, 60_000)
