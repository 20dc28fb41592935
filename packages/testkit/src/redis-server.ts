import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const HOST = '127.0.0.1'
// The machine's own Redis, if any, listens there: never touch it.
const RESERVED_PORT = 6379

/**
 * Distinct free TCP ports on 127.0.0.1, as the kernel hands them out (never 6379). All
 * are held open until every one is found, so no two are the same.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = []
  const ports: number[] = []
  try {
    while (ports.length < count) {
      const server = createServer()
      servers.push(server)
      const port = await new Promise<number>((resolve, reject) => {
        server.once('error', reject)
        server.listen(0, HOST, () => {
          const address = server.address()
          if (address !== null && typeof address === 'object') resolve(address.port)
          else reject(new Error('no port'))
        })
      })
      if (port !== RESERVED_PORT) ports.push(port)
    }
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
  }
  return ports
}

/** A free TCP port on 127.0.0.1 (never 6379). */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0] as number
}

/** Runs `redis-cli -h 127.0.0.1 -p PORT ...args` and returns its output. */
export async function redisCli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', HOST, '-p', String(port), ...args], {
    timeout: 10_000,
  })
  return stdout
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls `check` every 25 ms until it answers `true`, or throws after `timeoutMs`. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await check().catch(() => false)) return
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(25)
  }
}

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /** Port to listen on (default: a free one). */
  readonly port?: number
  /**
   * Keep data across a crash: append-only file, fsync on every write. Default `false`
   * (`--save '' --appendonly no`: nothing touches the disk).
   */
  readonly durable?: boolean
  /** Extra `redis-server` arguments. */
  readonly args?: readonly string[]
}

/** A `redis-server` child process on 127.0.0.1, with the controls fault tests need. */
export interface RedisServer {
  readonly host: string
  readonly port: number
  /** `redis://127.0.0.1:PORT`. */
  readonly url: string
  /** Working directory (AOF, cluster config); removed by `stop()`. */
  readonly dir: string
  /** Process id of the current server process. */
  readonly pid: number | undefined
  /** SIGSTOP: the server keeps its connections but answers nothing. */
  pause(): void
  /** SIGCONT. */
  resume(): void
  /** SIGKILL, and waits for the process to exit. The port and directory are kept. */
  kill(): Promise<void>
  /** Starts the server again on the same port and directory (after `kill()`). */
  restart(): Promise<void>
  /** Stops the server for good and removes its directory. */
  stop(): Promise<void>
}

const live = new Set<ChildProcess>()
let exitHookInstalled = false

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  // A crashed test run must not leave servers behind.
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL')
  })
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

async function spawnServer(
  port: number,
  dir: string,
  args: readonly string[],
): Promise<ChildProcess> {
  installExitHook()
  const child = spawn('redis-server', ['--port', String(port), '--bind', HOST, ...args], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  live.add(child)
  let log = ''
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString()).slice(-4000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const gone = new Promise<never>((_, reject) => {
    child.once('error', reject)
    child.once('exit', (code, signal) => {
      live.delete(child)
      reject(new Error(`redis-server on port ${port} exited (${code ?? signal}):\n${log}`))
    })
  })
  gone.catch(() => {})
  await Promise.race([
    waitUntil(
      `redis-server on port ${port}`,
      async () => (await redisCli(port, 'ping')).trim() === 'PONG',
    ),
    gone,
  ])
  return child
}

/**
 * Starts `redis-server --port P --bind 127.0.0.1 --save '' --appendonly no` (or durable,
 * see {@link RedisServerOptions}) in a fresh temporary directory and waits until it
 * answers PING.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort())
  if (port === RESERVED_PORT) throw new Error('port 6379 belongs to the machine, not to tests')
  const dir = await mkdtemp(join(tmpdir(), `oauth1-redis-${port}-`))
  const args = [
    '--save',
    '',
    ...(options.durable
      ? ['--appendonly', 'yes', '--appendfsync', 'always']
      : ['--appendonly', 'no']),
    '--dir',
    dir,
    ...(options.args ?? []),
  ]
  let child = await spawnServer(port, dir, args)
  return {
    host: HOST,
    port,
    url: `redis://${HOST}:${port}`,
    dir,
    get pid() {
      return child.pid
    },
    pause: () => {
      child.kill('SIGSTOP')
    },
    resume: () => {
      child.kill('SIGCONT')
    },
    async kill() {
      child.kill('SIGKILL')
      await exited(child)
      live.delete(child)
    },
    async restart() {
      child = await spawnServer(port, dir, args)
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGCONT')
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
        await exited(child)
        clearTimeout(timer)
      }
      live.delete(child)
      await rm(dir, { recursive: true, force: true })
    },
  }
}
