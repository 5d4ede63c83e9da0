// The package as a user installs it: `npm pack`, then the tarball installed offline into a throwaway
// consumer project (the package has no dependencies), with the packages a consumer would install
// itself (peers, test runners) linked from this repository's node_modules.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

const root = join(__dirname, '..', '..')

export interface PackedConsumer {
  /** The consumer project's directory, with the package in its node_modules. */
  readonly consumer: string
  /** Removes the consumer and the tarball. */
  remove(): void
}

/** Packs the package and installs it into a new consumer project; `linked` are linked in beside it. */
export function installPacked(prefix: string, linked: readonly string[]): PackedConsumer {
  const workDir = mkdtempSync(join(tmpdir(), prefix))
  const packed = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', workDir], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  const [{ filename }] = JSON.parse(packed) as [{ filename: string }]
  const consumer = join(workDir, 'consumer')
  mkdirSync(consumer)
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }))
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--offline', '--ignore-scripts', join(workDir, filename)],
    { cwd: consumer, stdio: 'ignore' },
  )
  for (const name of linked) {
    const target = join(consumer, 'node_modules', name)
    mkdirSync(dirname(target), { recursive: true })
    symlinkSync(join(root, 'node_modules', name), target, 'dir')
  }
  return { consumer, remove: () => rmSync(workDir, { recursive: true, force: true }) }
}
