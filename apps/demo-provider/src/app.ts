import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type AdapterName, ConfigError, type DemoConfig, type SeedClient } from './config.js'
import { DemoProvider } from './provider.js'
import type { ListenerFactory, Log } from './servers/common.js'
import { expressListener } from './servers/express.js'
import { fetchListener } from './servers/fetch.js'
import { koaListener } from './servers/koa.js'
import { type DemoState, memoryState, redisState } from './state.js'

const LISTENERS: Readonly<Record<AdapterName, ListenerFactory>> = {
  koa: koaListener,
  express: expressListener,
  fetch: fetchListener,
}

export interface RunningDemo {
  /** Where the demo answers, e.g. `http://127.0.0.1:3000`. */
  readonly url: string
  readonly port: number
  readonly config: DemoConfig
  readonly provider: DemoProvider
  /** The seeded client (generated ones included: print their secret). */
  readonly client: SeedClient
  readonly server: Server
  /** Stops accepting, drops open connections, closes Redis. */
  close(): Promise<void>
}

export interface StartOptions {
  /** Errors and warnings (default: stderr). */
  readonly log?: Log | undefined
  /** How long to wait for Redis at start, in ms (default 3000). */
  readonly redisConnectTimeout?: number | undefined
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'EADDRINUSE'
          ? 'the address is already in use'
          : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND'
            ? 'no such local address'
            : error.code === 'EACCES'
              ? 'permission denied'
              : error.message
      reject(new ConfigError(`cannot listen on ${host}:${port}: ${reason}`))
    }
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve()
    })
  })
}

/**
 * Starts the demo: connects its state (memory, or Redis with `REDIS_URL`), seeds the
 * client, serves every route with the configured adapter on HOST:PORT.
 *
 * @throws {ConfigError} when it cannot start (Redis unreachable, address in use, …).
 */
export async function startDemo(
  config: DemoConfig,
  options: StartOptions = {},
): Promise<RunningDemo> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`))
  const state: DemoState =
    config.redisUrl === undefined
      ? memoryState()
      : await redisState({
          url: config.redisUrl,
          keyPrefix: config.redisPrefix,
          connectTimeout: options.redisConnectTimeout,
          log,
        })
  let server: Server | undefined
  let warnings: string[] | undefined = []
  try {
    const provider = new DemoProvider({
      state,
      user: config.user,
      password: config.password,
      loopback: config.loopback,
      publicUrl: config.publicUrl,
      // Announced once the demo listens, so that a refused start prints one line only.
      onWarning: (warning) => {
        if (warnings === undefined) log(`warning: ${warning.message}`)
        else warnings.push(`warning: ${warning.message}`)
      },
    })
    await provider.seedClient(config.client)
    const running = createServer(LISTENERS[config.adapter](provider, log))
    server = running
    await listen(running, config.port, config.host)
    for (const line of warnings) log(line)
    warnings = undefined
    const address = running.address() as AddressInfo
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
    const url = config.publicUrl ?? `http://${host}:${address.port}`
    let closing: Promise<void> | undefined
    return {
      url,
      port: address.port,
      config,
      provider,
      client: config.client,
      server: running,
      close: () => {
        closing ??= (async () => {
          await new Promise<void>((resolve) => {
            running.close(() => resolve())
            running.closeAllConnections()
          })
          await state.close()
        })()
        return closing
      },
    }
  } catch (error) {
    server?.close()
    await state.close()
    throw error
  }
}
