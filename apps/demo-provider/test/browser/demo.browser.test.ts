/**
 * The demo in a real browser: Debian's chromium driven by playwright-core, against the built
 * demo (`node dist/main.js`, DEMO_ADAPTER=koa, state in memory). The client side of the
 * flow is our core `Client`, run from the test; the client's callback is a small HTTP server
 * of the test. Screenshots of every page go to apps/demo-provider/test-artifacts/browser/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Client, type ClientOptions } from '@x/oauth1-core'
import { type HttpResult, httpRequest } from '@x/oauth1-testkit'
import { type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DemoClient, demoClient } from '../e2e/support/credentials.ts'
import { type DemoProcess, startDemo } from '../e2e/support/demo-process.ts'
import { describeResponse, expectChallenge } from '../e2e/support/expectations.ts'

const CHROMIUM = '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
]
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/browser/', import.meta.url))
const USER = 'alice'
const PASSWORD = 'wonderland'
const FORM = 'application/x-www-form-urlencoded'

interface Token {
  readonly key: string
  readonly secret: string
}

/** The client application's redirect endpoint: records every callback it receives. */
async function startCallbackServer(): Promise<{ url: string; hits: URL[]; server: Server }> {
  const hits: URL[] = []
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    // Chromium also asks for /favicon.ico.
    if (url.pathname === '/callback') hits.push(url)
    const verifier = url.searchParams.get('oauth_verifier') ?? '(none)'
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(
      `<!doctype html><html lang="en"><title>Client callback</title><h1>Client application</h1><p>Callback received. Verifier: <code id="received-verifier">${verifier.replace(/[<>&"]/g, '')}</code></p></html>`,
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return { url: `http://127.0.0.1:${port}/callback`, hits, server }
}

describe('demo provider in chromium (DEMO_ADAPTER=koa, memory)', () => {
  let demo: DemoProcess
  let callback: Awaited<ReturnType<typeof startCallbackServer>>
  let client: DemoClient
  let context: BrowserContext
  let page: Page
  let userDataDir: string
  const shots: string[] = []

  async function shot(name: string): Promise<void> {
    const path = join(ARTIFACTS, `${String(shots.length + 1).padStart(2, '0')}-${name}.png`)
    await page.screenshot({ path, fullPage: true })
    shots.push(path)
  }

  async function signedFetch(
    options: Omit<ClientOptions, 'clientKey'> & { clientKey?: string },
    path: string,
    method = 'GET',
  ): Promise<HttpResult> {
    const signer = new Client({ clientKey: client.key, clientSecret: client.secret, ...options })
    const body = method === 'POST' ? '' : undefined
    const headers: Record<string, string> = method === 'POST' ? { 'content-type': FORM } : {}
    const signed = await signer.sign(`${demo.baseUrl}${path}`, { method, body, headers })
    return httpRequest(signed.uri, { method, headers: signed.headers, body: signed.body })
  }

  async function requestToken(
    options: { clientKey?: string; clientSecret?: string; callbackUri?: string } = {},
  ): Promise<Token> {
    const res = await signedFetch(
      { callbackUri: callback.url, ...options },
      '/oauth/request_token',
      'POST',
    )
    expect(res.status, describeResponse(res)).toBe(200)
    const form = new URLSearchParams(res.body)
    expect(form.get('oauth_callback_confirmed')).toBe('true')
    return { key: form.get('oauth_token') ?? '', secret: form.get('oauth_token_secret') ?? '' }
  }

  async function accessToken(
    temporary: Token,
    verifier: string,
    options: { clientKey?: string; clientSecret?: string } = {},
  ): Promise<Token> {
    const res = await signedFetch(
      {
        resourceOwnerKey: temporary.key,
        resourceOwnerSecret: temporary.secret,
        verifier,
        ...options,
      },
      '/oauth/access_token',
      'POST',
    )
    expect(res.status, describeResponse(res)).toBe(200)
    const form = new URLSearchParams(res.body)
    return { key: form.get('oauth_token') ?? '', secret: form.get('oauth_token_secret') ?? '' }
  }

  const me = (token: Token, options: { clientKey?: string; clientSecret?: string } = {}) =>
    signedFetch(
      { resourceOwnerKey: token.key, resourceOwnerSecret: token.secret, ...options },
      '/api/me',
    )

  /** Opens the consent page of `temporary`, signs in when sent to /login, and approves. */
  async function approveInBrowser(temporary: Token, screenshots: boolean): Promise<void> {
    await page.goto(
      `${demo.baseUrl}/oauth/authorize?oauth_token=${encodeURIComponent(temporary.key)}`,
    )
    if (new URL(page.url()).pathname === '/login') {
      if (screenshots) await shot('login')
      await page.fill('#username', USER)
      await page.fill('#password', PASSWORD)
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/oauth/authorize'),
        page.click('form[action="/login"] button[type="submit"]'),
      ])
    }
    expect(new URL(page.url()).pathname).toBe('/oauth/authorize')
    await expect
      .poll(() => page.locator('input[name="oauth_token"]').inputValue())
      .toBe(temporary.key)
    if (screenshots) await shot('consent')
    await page.click('button[name="decision"][value="approve"]')
  }

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    callback = await startCallbackServer()
    client = demoClient('browser', 'x509', callback.url)
    demo = await startDemo({
      adapter: 'koa',
      clientKey: client.key,
      clientSecret: client.secret,
      clientCallback: callback.url,
      clientRsaPublicKey: client.publicKeyPath,
      user: USER,
      password: PASSWORD,
    })
    userDataDir = mkdtempSync(join(tmpdir(), 'oauth1-demo-chromium-'))
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1024, height: 768 },
    })
    page = context.pages()[0] ?? (await context.newPage())
  }, 60_000)

  afterAll(async () => {
    await context?.close()
    await demo?.stop()
    await new Promise((resolve) => callback?.server.close(resolve))
    if (userDataDir !== undefined) rmSync(userDataDir, { recursive: true, force: true })
    if (shots.length > 0) console.log(`screenshots:\n${shots.map((s) => `  ${s}`).join('\n')}`)
  }, 30_000)

  it('signs in, consents, follows the redirect to the client, and the client gets a token', async () => {
    const temporary = await requestToken()
    await approveInBrowser(temporary, true)
    await page.waitForURL((url) => url.toString().startsWith(callback.url))
    await shot('callback')
    const hit = callback.hits.at(-1)
    expect(hit?.searchParams.get('oauth_token')).toBe(temporary.key)
    const verifier = hit?.searchParams.get('oauth_verifier') ?? ''
    expect(verifier).not.toBe('')
    expect(await page.locator('#received-verifier').textContent()).toBe(verifier)

    const cookies = await context.cookies(demo.baseUrl)
    expect(cookies.filter((c) => c.httpOnly && c.sameSite === 'Lax')).toHaveLength(1)

    const token = await accessToken(temporary, verifier)
    const res = await me(token)
    expect(res.status, describeResponse(res)).toBe(200)
    expect(JSON.parse(res.body)).toEqual({
      user: USER,
      client: client.key,
      realms: expect.any(Array),
    })
  }, 60_000)

  it('registers a client on /developer: the secret is shown once and works', async () => {
    await page.goto(`${demo.baseUrl}/developer`)
    if (new URL(page.url()).pathname === '/login') {
      await page.fill('#username', USER)
      await page.fill('#password', PASSWORD)
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/developer'),
        page.click('form[action="/login"] button[type="submit"]'),
      ])
    }
    await shot('developer')
    await page.fill('#name', 'Browser Test App')
    await page.fill('#callback', 'oob')
    await page.click('form[action="/developer"] button[type="submit"]')
    await page.locator('#client-secret').waitFor()
    await shot('developer-registered')
    const key = ((await page.locator('#client-key').textContent()) ?? '').trim()
    const secret = ((await page.locator('#client-secret').textContent()) ?? '').trim()
    expect(key).not.toBe('')
    expect(secret).not.toBe('')

    // Shown once: the developer page does not show it again.
    await page.goto(`${demo.baseUrl}/developer`)
    expect(await page.content()).not.toContain(secret)

    // The new client works: two-legged, then the whole flow with oob and its name on consent.
    const credentials = { clientKey: key, clientSecret: secret }
    const ping = await signedFetch(credentials, '/api/ping')
    expect(ping.status, describeResponse(ping)).toBe(200)
    expect(JSON.parse(ping.body)).toEqual({ client: key })
    const temporary = await requestToken({ ...credentials, callbackUri: 'oob' })
    await page.goto(
      `${demo.baseUrl}/oauth/authorize?oauth_token=${encodeURIComponent(temporary.key)}`,
    )
    expect(await page.locator('h1').first().textContent()).toContain('Browser Test App')
    await shot('consent-registered-client')
    await page.click('button[name="decision"][value="approve"]')
    await page.locator('#verifier').waitFor()
    await shot('oob-verifier')
    const verifier = ((await page.locator('#verifier').textContent()) ?? '').trim()
    const token = await accessToken(temporary, verifier, credentials)
    const res = await me(token, credentials)
    expect(res.status, describeResponse(res)).toBe(200)
    expect(JSON.parse(res.body)).toMatchObject({ user: USER, client: key })
  }, 60_000)

  it('revokes a token on /account/tokens: /api/me with it is then 401', async () => {
    const temporary = await requestToken()
    await approveInBrowser(temporary, false)
    await page.waitForURL((url) => url.toString().startsWith(callback.url))
    const verifier = callback.hits.at(-1)?.searchParams.get('oauth_verifier') ?? ''
    const token = await accessToken(temporary, verifier)
    const before = await me(token)
    expect(before.status, describeResponse(before)).toBe(200)

    await page.goto(`${demo.baseUrl}/account/tokens`)
    await shot('tokens')
    const rows = page.locator('#tokens tbody tr', { hasText: client.key })
    const count = await rows.count()
    expect(count).toBeGreaterThan(0)
    // Revoke every token of this client (the newest first), one click at a time.
    for (let left = count; left > 0; left--) {
      await Promise.all([
        page.waitForResponse(
          (r) => r.request().method() === 'GET' && new URL(r.url()).pathname === '/account/tokens',
        ),
        rows
          .first()
          .getByRole('button', { name: /Revoke/ })
          .click(),
      ])
      await page.waitForLoadState('load')
      expect(await rows.count()).toBe(left - 1)
    }
    await shot('tokens-revoked')

    const after = await me(token)
    expectChallenge(after)
  }, 60_000)
})
