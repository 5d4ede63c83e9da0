// Every example in examples/ runs as users run it (`tsx examples/<name>.ts`), and prints exactly
// what the `// Prints:` block at its end says.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type RedisServer, startRedis } from '../helpers/redisServer'
import { describeWith } from '../helpers/services'

const examplesDir = join(__dirname, '..', '..', 'examples')
const examples = readdirSync(examplesDir).filter((file) => file.endsWith('.ts'))

// Examples that need a redis-server; the README tells users to start one, the test starts its own.
const needRedis = new Set(['redis-cluster.ts'])
function expectedOutput(source: string): string {
  const marker = source.lastIndexOf('// Prints:\n')
  if (marker < 0) throw new Error('the example has no "// Prints:" block')
  return source
    .slice(marker + '// Prints:\n'.length)
    .trimEnd()
    .split('\n')
    .map((line) => line.replace(/^\/\/ ?/, ''))
    .join('\n')
}

test('the required examples exist', () => {
  expect(examples).toEqual(
    expect.arrayContaining([
      'quickstart.ts',
      'sender-filtering.ts',
      'testing-with-connected-to.ts',
      'priorities-and-once.ts',
      'redis-cluster.ts',
      'async-pipeline.ts',
    ]),
  )
})

/** Runs examples/`file` as users run it and returns what it printed. */
function run(file: string, env: Record<string, string> = {}): string {
  return execFileSync(process.execPath, ['--import', 'tsx', join(examplesDir, file)], {
    cwd: join(__dirname, '..', '..'),
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', ...env },
  })
}

const expectedOf = (file: string): string => expectedOutput(readFileSync(join(examplesDir, file), 'utf8'))

test.each(examples.filter((file) => !needRedis.has(file)))(
  'examples/%s prints what its "Prints:" block says',
  (file) => {
    expect(run(file).trimEnd()).toBe(expectedOf(file))
  },
  30_000,
)

describeWith('redis-server', 'with a real redis-server', () => {
  let redis: RedisServer | undefined
  beforeAll(async () => {
    redis = await startRedis()
  }, 20_000)
  afterAll(async () => {
    await redis?.stop()
  })

  test.each([...needRedis])(
    'examples/%s prints what its "Prints:" block says',
    (file) => {
      expect(run(file, { REDIS_URL: redis?.url ?? '' }).trimEnd()).toBe(expectedOf(file))
    },
    30_000,
  )
})
