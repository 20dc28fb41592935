// HTTP load helpers shared by redis.bench.ts and adapters.bench.ts: the app runs in a child
// process (so autocannon does not share its event loop), the protected route is driven from
// a pool of pre-signed Authorization headers, each used once (a fresh nonce per request).
import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'

/** A bench server in a child process; it reports `{ port }` over IPC and exits on `stop`. */
export interface ServerProcess {
  readonly child: ChildProcess
  stop(): Promise<void>
  /**
   * The server's CPU time so far (user + system, µs), for servers that answer the `cpu`
   * message (adapters-server.ts does).
   */
  cpu(): Promise<number>
}

/**
 * Forks `script` (a bench server module) with `args`, `BENCH_PORT=port` and the parent's
 * exec arguments (the tsx loader) plus `execArgv` (e.g. `--cpu-prof`), and
 * waits until it listens.
 */
export async function startServer(
  script: URL,
  args: string[],
  port: number,
  execArgv: string[] = [],
): Promise<ServerProcess> {
  const child = fork(fileURLToPath(script), args, {
    env: { ...process.env, BENCH_PORT: String(port) },
    execArgv: [...process.execArgv, ...execArgv],
  })
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve())
    child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)))
  })
  return {
    child,
    cpu() {
      return new Promise<number>((resolve) => {
        const onMessage = (message: unknown): void => {
          if (typeof message === 'object' && message !== null && 'cpu' in message) {
            child.off('message', onMessage)
            resolve(Number((message as { cpu: number }).cpu))
          }
        }
        child.on('message', onMessage)
        child.send('cpu')
      })
    },
    async stop() {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.send('stop')
      await exited
    },
  }
}

/**
 * Pre-signed `Authorization` headers and how many were handed out. Keep one cursor per
 * server process: a header taken twice would be a replayed nonce (401).
 */
export interface SignedPool {
  readonly headers: string[]
  next: number
}

/** One autocannon run, reduced to what the benches report. */
export interface LoadRow {
  /** Mean requests per second over the run. */
  readonly rps: number
  readonly p50: number
  readonly p99: number
  /** Responses counted by autocannon. */
  readonly requests: number
  /** Non-2xx responses, connection errors and timeouts: must be 0. */
  readonly failed: number
}

export interface LoadOptions {
  readonly title: string
  readonly port: number
  readonly path: string
  readonly connections: number
  readonly seconds: number
  /** Signs each request with the next unused header of the pool; omit for an open route. */
  readonly pool?: SignedPool | undefined
  /**
   * Sends the headers of a pool round and round without using any up: for an open route
   * that must get the same requests (and cost autocannon the same per-request work) as
   * the protected one it is compared with, and ignores their `Authorization`.
   */
  readonly replay?: readonly string[] | undefined
}

/**
 * Runs autocannon against `http://127.0.0.1:PORT/PATH`. Throws if the pool ran out (its
 * headers would have been reused).
 */
export async function load(options: LoadOptions): Promise<LoadRow> {
  const { pool, replay } = options
  if (pool !== undefined && replay !== undefined) throw new Error('pool or replay, not both')
  const start = pool?.next ?? 0
  let replayed = 0
  const result = await autocannon({
    title: options.title,
    url: `http://127.0.0.1:${options.port}`,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        method: 'GET',
        path: options.path,
        ...(pool !== undefined
          ? {
              setupRequest: (request: autocannon.Request) => {
                // Past the end, send no Authorization (a 401, counted as failed) rather
                // than replay a nonce.
                const authorization = pool.headers[pool.next++] ?? ''
                return { ...request, headers: { ...request.headers, authorization } }
              },
            }
          : replay !== undefined && replay.length > 0
            ? {
                setupRequest: (request: autocannon.Request) => {
                  const authorization = replay[replayed++ % replay.length] as string
                  return { ...request, headers: { ...request.headers, authorization } }
                },
              }
            : {}),
      },
    ],
  })
  if (pool !== undefined && pool.next > pool.headers.length) {
    throw new Error(
      `${options.title}: the pool ran out (${pool.headers.length - start} headers left, ${pool.next - start} taken)`,
    )
  }
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failed: result.non2xx + result.errors + result.timeouts,
  }
}
