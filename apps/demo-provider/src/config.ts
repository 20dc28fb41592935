import { readFile } from 'node:fs/promises'
import { isIP } from 'node:net'
import { generateToken, importRsaPublicKey } from '@x/oauth1-core'

/** A configuration the demo cannot start with; `main` prints the message and exits with 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

export const ADAPTERS = ['koa', 'express', 'fetch'] as const
export type AdapterName = (typeof ADAPTERS)[number]

/** The client seeded at start (from `DEMO_CLIENT_*`, or generated). */
export interface SeedClient {
  readonly key: string
  readonly secret: string | undefined
  readonly callback: string | undefined
  readonly rsaPublicKey: string | undefined
  /** `true` when the demo made the key and secret up (they are printed at start). */
  readonly generated: boolean
}

export interface DemoConfig {
  readonly host: string
  readonly port: number
  /** Bound to 127.0.0.0/8, ::1 or localhost: plain HTTP and PLAINTEXT are accepted. */
  readonly loopback: boolean
  readonly adapter: AdapterName
  readonly redisUrl: string | undefined
  /** Prefix of every Redis key (`DEMO_REDIS_PREFIX`, default `oauth1-demo:`). */
  readonly redisPrefix: string
  /** The public origin when behind a TLS proxy (`DEMO_PUBLIC_URL`). */
  readonly publicUrl: string | undefined
  readonly client: SeedClient
  readonly user: string
  readonly password: string
}

type Env = Readonly<Record<string, string | undefined>>

function value(env: Env, name: string): string | undefined {
  const raw = env[name]
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim()
}

/** 127.0.0.0/8, ::1 and `localhost`: the addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1')
  if (h === 'localhost' || h.endsWith('.localhost')) return true
  if (isIP(h) === 4) return h.startsWith('127.')
  return h === '::1' || h === '0:0:0:0:0:0:0:1'
}

function parsePort(raw: string | undefined): number {
  if (raw === undefined) return 3000
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) {
    throw new ConfigError(`PORT must be an integer from 0 to 65535, got ${JSON.stringify(raw)}`)
  }
  return Number(raw)
}

function parseHost(raw: string | undefined): string {
  if (raw === undefined) return '127.0.0.1'
  const host = raw.replace(/^\[(.*)\]$/, '$1')
  if (isIP(host) === 0 && !/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(host)) {
    throw new ConfigError(`HOST must be an IP address or a host name, got ${JSON.stringify(raw)}`)
  }
  return host
}

function parseAdapter(raw: string | undefined): AdapterName {
  if (raw === undefined) return 'koa'
  const name = raw.toLowerCase()
  if (!(ADAPTERS as readonly string[]).includes(name)) {
    throw new ConfigError(
      `DEMO_ADAPTER must be one of ${ADAPTERS.join(', ')}, got ${JSON.stringify(raw)}`,
    )
  }
  return name as AdapterName
}

function parseRedisUrl(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError('REDIS_URL must be a URL like redis://127.0.0.1:6379/0')
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new ConfigError(`REDIS_URL must start with redis:// or rediss://, got ${url.protocol}//`)
  }
  return raw
}

/** REDIS_URL without its password, for messages. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw)
    if (url.password !== '') url.password = '***'
    return url.href
  } catch {
    return '(unparseable URL)'
  }
}

function parsePublicUrl(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError(`DEMO_PUBLIC_URL must be an absolute URL, got ${JSON.stringify(raw)}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError('DEMO_PUBLIC_URL must be an http(s) URL')
  }
  return url.href.replace(/\/$/, '')
}

/** `oob`, or an absolute http(s) URL in printable ASCII. */
export function isValidCallback(callback: string): boolean {
  if (callback === 'oob') return true
  if (!/^[\x21-\x7e]+$/.test(callback)) return false
  try {
    const url = new URL(callback)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== ''
  } catch {
    return false
  }
}

function checkIdentifier(name: string, raw: string): string {
  if (!/^[\x21-\x7e]{1,255}$/.test(raw)) {
    throw new ConfigError(`${name} must be 1 to 255 printable ASCII characters without spaces`)
  }
  return raw
}

async function readRsaPublicKey(path: string): Promise<string> {
  let pem: string
  try {
    pem = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error'
    throw new ConfigError(`DEMO_CLIENT_RSA_PUBLIC_KEY: cannot read ${path} (${code})`)
  }
  try {
    await importRsaPublicKey(pem)
  } catch {
    throw new ConfigError(
      `DEMO_CLIENT_RSA_PUBLIC_KEY: ${path} is not a usable RSA public key (PEM: SPKI, PKCS#1 or an X.509 certificate)`,
    )
  }
  return pem
}

/**
 * Reads the demo's configuration from the environment.
 *
 * @throws {ConfigError} with a one-line message for anything unusable.
 */
export async function loadConfig(env: Env = process.env): Promise<DemoConfig> {
  const host = parseHost(value(env, 'HOST'))
  const port = parsePort(value(env, 'PORT'))
  const adapter = parseAdapter(value(env, 'DEMO_ADAPTER'))
  const redisUrl = parseRedisUrl(value(env, 'REDIS_URL'))
  const redisPrefix = value(env, 'DEMO_REDIS_PREFIX') ?? 'oauth1-demo:'
  const publicUrl = parsePublicUrl(value(env, 'DEMO_PUBLIC_URL'))

  const key = value(env, 'DEMO_CLIENT_KEY')
  const secret = env.DEMO_CLIENT_SECRET === '' ? undefined : env.DEMO_CLIENT_SECRET
  const callback = value(env, 'DEMO_CLIENT_CALLBACK')
  const rsaPath = value(env, 'DEMO_CLIENT_RSA_PUBLIC_KEY')
  if (key === undefined && secret !== undefined) {
    throw new ConfigError('DEMO_CLIENT_SECRET is set but DEMO_CLIENT_KEY is not')
  }
  if (key !== undefined && secret === undefined && rsaPath === undefined) {
    throw new ConfigError(
      'DEMO_CLIENT_KEY needs DEMO_CLIENT_SECRET (HMAC, PLAINTEXT) or DEMO_CLIENT_RSA_PUBLIC_KEY (RSA)',
    )
  }
  if (secret !== undefined && !/^[\x20-\x7e]{1,255}$/.test(secret)) {
    throw new ConfigError('DEMO_CLIENT_SECRET must be 1 to 255 printable ASCII characters')
  }
  if (callback !== undefined && !isValidCallback(callback)) {
    throw new ConfigError(
      `DEMO_CLIENT_CALLBACK must be oob or an absolute http(s) URL, got ${JSON.stringify(callback)}`,
    )
  }
  const rsaPublicKey = rsaPath === undefined ? undefined : await readRsaPublicKey(rsaPath)
  const client: SeedClient =
    key === undefined
      ? {
          key: generateToken(24),
          secret: generateToken(32),
          callback,
          rsaPublicKey,
          generated: true,
        }
      : {
          key: checkIdentifier('DEMO_CLIENT_KEY', key),
          secret,
          callback,
          rsaPublicKey,
          generated: false,
        }

  const user = value(env, 'DEMO_USER') ?? 'alice'
  const password = env.DEMO_PASSWORD === undefined ? 'wonderland' : env.DEMO_PASSWORD
  checkIdentifier('DEMO_USER', user)
  if (password === '') throw new ConfigError('DEMO_PASSWORD must not be empty')

  return {
    host,
    port,
    loopback: isLoopbackHost(host),
    adapter,
    redisUrl,
    redisPrefix,
    publicUrl,
    client,
    user,
    password,
  }
}
