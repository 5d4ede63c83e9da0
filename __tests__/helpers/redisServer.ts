// A real redis-server for a test file: on a free 127.0.0.1 port, in a temporary directory, stopped
// (and the directory removed) by stop(). Can be killed and restarted on the same port and directory.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { assertAvailable } from './services'

export interface RedisServer {
  readonly port: number
  readonly url: string
  /** Kills the server at once (SIGKILL), as a crash would. */
  kill(): Promise<void>
  /** Starts it again on the same port and directory. */
  restart(): Promise<void>
  /** Freezes the server (SIGSTOP): connections stay open and nothing is answered, like a partition. */
  pause(): void
  /** Lets a paused server run again (SIGCONT). */
  resume(): void
  /** Stops it and removes its directory. */
  stop(): Promise<void>
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

function launch(port: number, dir: string, appendOnly: boolean): Promise<ChildProcess> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--daemonize',
    'no',
  ]
  args.push('--appendonly', appendOnly ? 'yes' : 'no')
  // Every write is on disk before Redis answers, so an acknowledged XADD survives SIGKILL.
  if (appendOnly) args.push('--appendfsync', 'always')
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] })
  return new Promise((resolve, reject) => {
    let output = ''
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      if (output.includes('Ready to accept connections')) {
        child.stdout?.off('data', onData)
        child.stdout?.resume()
        resolve(child)
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.on('error', reject)
    child.on('exit', (code) =>
      reject(new Error(`redis-server exited with ${code} before it was ready:\n${output}`)),
    )
  })
}

function exited(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill(signal)
  })
}

export async function startRedis(options: { appendOnly?: boolean } = {}): Promise<RedisServer> {
  // A missing redis-server fails with what to install, not with spawn's bare ENOENT.
  assertAvailable('redis-server')
  const appendOnly = options.appendOnly ?? false
  const port = await freePort()
  const dir = mkdtempSync(join(tmpdir(), 'signalry-redis-'))
  let child = await launch(port, dir, appendOnly)
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async kill() {
      await exited(child, 'SIGKILL')
    },
    async restart() {
      child = await launch(port, dir, appendOnly)
    },
    pause() {
      child.kill('SIGSTOP')
    },
    resume() {
      child.kill('SIGCONT')
    },
    async stop() {
      child.kill('SIGCONT') // a paused server would not act on SIGTERM
      await exited(child, 'SIGTERM')
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
