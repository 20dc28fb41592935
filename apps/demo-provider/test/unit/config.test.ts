import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from '@x/oauth1-core'
import { freePort } from '@x/oauth1-testkit'
import { describe, expect, it } from 'vitest'
import { start } from '../../src/cli.ts'
import { isLoopbackHost, loadConfig } from '../../src/config.ts'
import { Browser, CERT_PATH, startTestDemo } from './support.ts'

const dir = mkdtempSync(join(tmpdir(), 'demo-config-'))
const pair = generateKeyPairSync('rsa', { modulusLength: 2048 })
const spki = join(dir, 'spki.pem')
const pkcs1 = join(dir, 'pkcs1.pem')
const garbage = join(dir, 'garbage.pem')
writeFileSync(spki, pair.publicKey.export({ type: 'spki', format: 'pem' }))
writeFileSync(pkcs1, pair.publicKey.export({ type: 'pkcs1', format: 'pem' }))
writeFileSync(garbage, '-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n')

/** Starts with this environment and expects exit code 2 and a one-line message. */
async function refused(env: Record<string, string>): Promise<string> {
  let err = ''
  let out = ''
  const result = await start(
    { HOST: '127.0.0.1', PORT: '0', ...env },
    { out: (t) => (out += t), err: (t) => (err += t) },
  )
  if (result !== 2) await result.close()
  expect(result).toBe(2)
  expect(out).toBe('')
  const lines = err.trim().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^demo-provider: /)
  return lines[0] as string
}

describe('configuration', () => {
  it('defaults: 127.0.0.1:3000, koa, memory, a generated client, alice / wonderland', async () => {
    const config = await loadConfig({})
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      loopback: true,
      adapter: 'koa',
      redisUrl: undefined,
      user: 'alice',
      password: 'wonderland',
    })
    expect(config.client.generated).toBe(true)
    expect(config.client.key).toMatch(/^[A-Za-z0-9]{24}$/)
    expect(config.client.secret).toMatch(/^[A-Za-z0-9]{32}$/)
    expect((await loadConfig({})).client.key).not.toBe(config.client.key)
  })

  it('reads every variable', async () => {
    const config = await loadConfig({
      HOST: '::1',
      PORT: '8080',
      DEMO_ADAPTER: 'Express',
      REDIS_URL: 'redis://127.0.0.1:6380/2',
      DEMO_CLIENT_KEY: 'key',
      DEMO_CLIENT_SECRET: 'secret',
      DEMO_CLIENT_CALLBACK: 'https://app.example/cb',
      DEMO_CLIENT_RSA_PUBLIC_KEY: spki,
      DEMO_USER: 'bob',
      DEMO_PASSWORD: 'builder',
    })
    expect(config).toMatchObject({
      host: '::1',
      port: 8080,
      loopback: true,
      adapter: 'express',
      redisUrl: 'redis://127.0.0.1:6380/2',
      user: 'bob',
      password: 'builder',
      client: {
        key: 'key',
        secret: 'secret',
        callback: 'https://app.example/cb',
        generated: false,
      },
    })
    expect(config.client.rsaPublicKey).toContain('BEGIN PUBLIC KEY')
  })

  it('takes RSA public keys as SPKI, PKCS#1 or an X.509 certificate', async () => {
    for (const path of [spki, pkcs1, CERT_PATH]) {
      const config = await loadConfig({ DEMO_CLIENT_KEY: 'k', DEMO_CLIENT_RSA_PUBLIC_KEY: path })
      expect(config.client.rsaPublicKey).toMatch(/^-----BEGIN /)
      expect(config.client.secret).toBeUndefined()
    }
  })

  it('knows loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', '::1', '[::1]', 'localhost', 'LOCALHOST']) {
      expect(isLoopbackHost(host), host).toBe(true)
    }
    for (const host of ['0.0.0.0', '10.0.0.1', '::', 'example.com', '128.0.0.1', '::2']) {
      expect(isLoopbackHost(host), host).toBe(false)
    }
  })

  it('refuses bad configuration with exit code 2 and a clear one-line message', async () => {
    expect(await refused({ PORT: 'abc' })).toContain('PORT must be an integer from 0 to 65535')
    expect(await refused({ PORT: '70000' })).toContain('PORT')
    expect(await refused({ PORT: '-1' })).toContain('PORT')
    expect(await refused({ HOST: 'bad host!' })).toContain('HOST')
    expect(await refused({ DEMO_ADAPTER: 'hapi' })).toContain(
      'DEMO_ADAPTER must be one of koa, express, fetch',
    )
    expect(
      await refused({ DEMO_CLIENT_KEY: 'k', DEMO_CLIENT_RSA_PUBLIC_KEY: join(dir, 'none.pem') }),
    ).toMatch(/DEMO_CLIENT_RSA_PUBLIC_KEY: cannot read .*none\.pem \(ENOENT\)/)
    expect(await refused({ DEMO_CLIENT_RSA_PUBLIC_KEY: dir })).toContain('cannot read')
    expect(await refused({ DEMO_CLIENT_KEY: 'k', DEMO_CLIENT_RSA_PUBLIC_KEY: garbage })).toContain(
      'is not a usable RSA public key',
    )
    expect(await refused({ DEMO_CLIENT_SECRET: 's' })).toContain('DEMO_CLIENT_KEY is not')
    expect(await refused({ DEMO_CLIENT_KEY: 'k' })).toContain('DEMO_CLIENT_SECRET')
    expect(await refused({ DEMO_CLIENT_KEY: 'has space', DEMO_CLIENT_SECRET: 's' })).toContain(
      'DEMO_CLIENT_KEY',
    )
    expect(await refused({ DEMO_CLIENT_CALLBACK: 'ftp://x' })).toContain('DEMO_CLIENT_CALLBACK')
    expect(await refused({ DEMO_PASSWORD: '' })).toContain('DEMO_PASSWORD')
    expect(await refused({ REDIS_URL: 'http://127.0.0.1:1' })).toContain('redis://')
    expect(await refused({ REDIS_URL: 'not a url' })).toContain('REDIS_URL')
  })

  it('refuses a REDIS_URL it cannot connect to within a few seconds', async () => {
    const port = await freePort()
    const message = await refused({ REDIS_URL: `redis://:hunter2@127.0.0.1:${port}/0` })
    expect(message).toContain(`REDIS_URL redis://:***@127.0.0.1:${port}/0: cannot connect`)
    expect(message).not.toContain('hunter2')
  })

  it('refuses a port in use', async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const { port } = taken.address() as { port: number }
    try {
      expect(await refused({ PORT: String(port) })).toContain(
        `cannot listen on 127.0.0.1:${port}: the address is already in use`,
      )
    } finally {
      taken.close()
    }
  })

  it('off loopback the core defaults hold: TLS required (or a public https URL)', async () => {
    const open = await startTestDemo({
      HOST: '0.0.0.0',
      DEMO_CLIENT_KEY: 'k',
      DEMO_CLIENT_SECRET: 's',
    })
    try {
      expect(open.banner).toContain('TLS required')
      const port = open.demo.port
      const req = await new Client({ clientKey: 'k', clientSecret: 's' }).sign(
        `http://127.0.0.1:${port}/api/ping`,
      )
      const res = await fetch(req.uri, { headers: req.headers })
      expect(res.status).toBe(400)
      expect(await res.text()).toContain('oauth_problem=insecure_transport')
    } finally {
      await open.close()
    }
    const proxied = await startTestDemo({
      HOST: '0.0.0.0',
      DEMO_PUBLIC_URL: 'https://demo.example',
      DEMO_CLIENT_KEY: 'k',
      DEMO_CLIENT_SECRET: 's',
    })
    try {
      const port = proxied.demo.port
      const req = await new Client({ clientKey: 'k', clientSecret: 's' }).sign(
        'https://demo.example/api/ping',
      )
      const res = await fetch(`http://127.0.0.1:${port}/api/ping`, { headers: req.headers })
      expect(res.status).toBe(200)
      const login = await new Browser(`http://127.0.0.1:${port}`).post('/login', {
        username: 'alice',
        password: 'wonderland',
      })
      expect(login.headers.get('set-cookie')).toContain('; Secure')
    } finally {
      await proxied.close()
    }
  })
})
