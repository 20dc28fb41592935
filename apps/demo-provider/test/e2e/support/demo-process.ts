import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { freePort, httpRequest, waitUntil } from '@x/oauth1-testkit'

/** The built entry point, as a user runs it. */
export const DEMO_MAIN: string = fileURLToPath(new URL('../../../dist/main.js', import.meta.url))

export type DemoAdapter = 'koa' | 'express' | 'fetch'
export const ADAPTERS: readonly DemoAdapter[] = ['koa', 'express', 'fetch']

/** How to start a demo (each becomes an environment variable of the child). */
export interface DemoOptions {
  readonly adapter: DemoAdapter
  /** `redis://host:port/db`; without it the demo keeps its state in memory. */
  readonly redisUrl?: string | undefined
  readonly clientKey: string
  readonly clientSecret: string
  readonly clientCallback: string
  /** Path of a PEM public key: enables the RSA methods for the client. */
  readonly clientRsaPublicKey?: string | undefined
  readonly user?: string | undefined
  readonly password?: string | undefined
}

/** A running demo provider (a child process). */
export interface DemoProcess {
  /** `http://127.0.0.1:PORT`. */
  readonly baseUrl: string
  readonly child: ChildProcess
  /** What the demo wrote to stdout and stderr (the last 20 000 characters). */
  output(): string
  stop(): Promise<void>
}

const live = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

/**
 * Starts `node apps/demo-provider/dist/main.js` on a free port of 127.0.0.1 and waits until
 * `GET /healthz` answers 200.
 */
export async function startDemo(options: DemoOptions): Promise<DemoProcess> {
  const port = await freePort()
  const env: NodeJS.ProcessEnv = { ...process.env }
  // Memory mode must not pick up a REDIS_URL the test run itself was given.
  delete env.REDIS_URL
  delete env.NODE_OPTIONS
  Object.assign(env, {
    HOST: '127.0.0.1',
    PORT: String(port),
    DEMO_ADAPTER: options.adapter,
    DEMO_CLIENT_KEY: options.clientKey,
    DEMO_CLIENT_SECRET: options.clientSecret,
    DEMO_CLIENT_CALLBACK: options.clientCallback,
    DEMO_USER: options.user ?? 'alice',
    DEMO_PASSWORD: options.password ?? 'wonderland',
  })
  if (options.redisUrl !== undefined) env.REDIS_URL = options.redisUrl
  if (options.clientRsaPublicKey !== undefined) {
    env.DEMO_CLIENT_RSA_PUBLIC_KEY = options.clientRsaPublicKey
  }
  const child = spawn(process.execPath, [DEMO_MAIN], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  live.add(child)
  let output = ''
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const died = exited.then(() => {
    live.delete(child)
    throw new Error(
      `the demo (${options.adapter}) exited with ${child.exitCode ?? child.signalCode}:\n${output}`,
    )
  })
  died.catch(() => {})
  const baseUrl = `http://127.0.0.1:${port}`
  try {
    await Promise.race([
      waitUntil(
        `the demo (${options.adapter}) on ${baseUrl}`,
        async () => (await httpRequest(`${baseUrl}/healthz`)).status === 200,
        20_000,
      ),
      died,
    ])
  } catch (error) {
    child.kill('SIGKILL')
    throw new Error(`${(error as Error).message}\n--- demo output ---\n${output}`)
  }
  return {
    baseUrl,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM')
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
        await exited
        clearTimeout(timer)
      }
      live.delete(child)
    },
  }
}

/** `redisUrl` with its database number set to `db` (each demo gets its own database). */
export function redisDatabase(redisUrl: string, db: number): string {
  const url = new URL(redisUrl)
  url.pathname = `/${db}`
  return url.toString()
}
