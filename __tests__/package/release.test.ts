// The release procedure of CONTRIBUTING.md ("Releasing"), end to end in a temporary copy of the
// repository, so the repository itself is never bumped: `npm run version` turns the pending
// changesets into a version bump and CHANGELOG.md, `npm install` records the new version in
// package-lock.json, and the checks of this file then pass on the released copy too (they hold before
// and after a release: with changesets pending or none). Offline: nothing is fetched or published.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const root = join(__dirname, '..', '..')
const npm = (cwd: string, ...args: string[]): string =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: 'pipe' })
const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T

type Bump = 'major' | 'minor' | 'patch'

/** The pending changesets of the repository at `dir`, with their bump and text. */
function changesetsOf(dir: string): Array<{ file: string; bump: Bump | undefined; text: string }> {
  const changesetDir = join(dir, '.changeset')
  return readdirSync(changesetDir)
    .filter((file) => file.endsWith('.md') && file !== 'README.md')
    .map((file) => {
      const match = /^---\n(["']?)signalry\1: (major|minor|patch)\n---\n\n(\S[\s\S]*)$/.exec(
        readFileSync(join(changesetDir, file), 'utf8'),
      )
      return { file, bump: match?.[2] as Bump | undefined, text: match?.[3]?.trim() ?? '' }
    })
}

function bumped(version: string, bump: Bump): string {
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number]
  if (bump === 'major') return `${major + 1}.0.0`
  if (bump === 'minor') return `${major}.${minor + 1}.0`
  return `${major}.${minor}.${patch + 1}`
}

test('every pending changeset bumps signalry and says what changed for users', () => {
  for (const { file, bump, text } of changesetsOf(root)) {
    expect({ file, bump: bump ?? 'not "signalry": major|minor|patch, then a blank line' }).toEqual({
      file,
      bump,
    })
    expect({ file, words: text.split(/\s+/).length >= 5 }).toEqual({ file, words: true })
  }
})

test('package-lock.json is what npm install makes of package.json (a fresh clone stays clean)', () => {
  const copy = mkdtempSync(join(tmpdir(), 'signalry-lock-'))
  try {
    for (const file of ['package.json', 'package-lock.json']) cpSync(join(root, file), join(copy, file))
    npm(copy, 'install', '--package-lock-only', '--offline', '--ignore-scripts', '--no-audit', '--no-fund')
    expect(readFileSync(join(copy, 'package-lock.json'), 'utf8')).toBe(
      readFileSync(join(root, 'package-lock.json'), 'utf8'),
    )
  } finally {
    rmSync(copy, { recursive: true, force: true })
  }
}, 60_000)

test('CHANGELOG.md, once there is one, starts with the version of package.json', () => {
  const { version } = readJson<{ version: string }>(join(root, 'package.json'))
  const changelog = join(root, 'CHANGELOG.md')
  if (existsSync(changelog))
    expect(readFileSync(changelog, 'utf8')).toMatch(
      new RegExp(`^# signalry\\n\\n## ${version.replace(/\./g, '\\.')}\\n`),
    )
  else expect(version).toBe('0.0.0')
})

test('the release procedure: npm run version, npm install, then the checks above pass on the release', () => {
  const copy = mkdtempSync(join(tmpdir(), 'signalry-release-'))
  try {
    // The repository as it is (tracked files and new, not ignored ones), with the installed tools.
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
    })
    for (const file of files.split('\0').filter((name) => name !== '' && existsSync(join(root, name)))) {
      cpSync(join(root, file), join(copy, file), { recursive: true })
    }
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir')
    const before = readJson<{ version: string }>(join(copy, 'package.json')).version
    const pending = changesetsOf(copy)

    // Step 2. `npm run version`.
    npm(copy, 'run', 'version')
    const { version } = readJson<{ version: string }>(join(copy, 'package.json'))
    const order: Bump[] = ['patch', 'minor', 'major']
    const bump = order[Math.max(-1, ...pending.map((changeset) => order.indexOf(changeset.bump as Bump)))]
    expect(version).toBe(bump === undefined ? before : bumped(before, bump))
    expect(changesetsOf(copy)).toEqual([])
    if (bump !== undefined) {
      const changelog = readFileSync(join(copy, 'CHANGELOG.md'), 'utf8')
      for (const { text } of pending) expect(changelog).toContain(text.split('\n')[0])
    }

    // Step 4. `npm install` records the version in package-lock.json (here only the lock file: the
    // copy shares the repository's node_modules).
    npm(copy, 'install', '--package-lock-only', '--offline', '--ignore-scripts', '--no-audit', '--no-fund')
    const lock = readJson<{ version: string; packages: Record<string, { version?: string }> }>(
      join(copy, 'package-lock.json'),
    )
    expect([lock.version, lock.packages['']?.version]).toEqual([version, version])

    // ... then `npm test`: the checks of this file that depend on the state of the release.
    const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js')
    const testFile = join('__tests__', 'package', 'release.test.ts')
    execFileSync(
      process.execPath,
      [jest, '--selectProjects', 'package', '--testNamePattern', '^(?!the release procedure)', testFile],
      {
        cwd: copy,
        encoding: 'utf8',
        stdio: 'pipe',
        env: { ...process.env, CI: '' },
      },
    )
  } finally {
    rmSync(copy, { recursive: true, force: true })
  }
}, 180_000)
