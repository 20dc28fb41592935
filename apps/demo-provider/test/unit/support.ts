// Helpers of the demo's unit tests: an in-process demo on a free port, a cookie-keeping
// "browser" that does not follow redirects, and signed requests with the core's Client.
import { Client, type ClientOptions } from '@x/oauth1-core'
import { FIXTURES_DIR } from '@x/oauth1-testkit'
import type { RunningDemo } from '../../src/app.ts'
import { start } from '../../src/cli.ts'

export const ADAPTERS = ['koa', 'express', 'fetch'] as const

/** A public certificate (X.509) and its private key, from the testkit. */
export const CERT_PATH = `${FIXTURES_DIR}rsa-2048-cert.pem`
export const KEY_PATH = `${FIXTURES_DIR}rsa-2048-key.pem`

export interface TestDemo {
  readonly demo: RunningDemo
  readonly url: string
  readonly banner: string
  readonly logs: string[]
  close(): Promise<void>
}

/** Starts the demo in this process on 127.0.0.1 and a free port. */
export async function startTestDemo(env: Record<string, string> = {}): Promise<TestDemo> {
  let banner = ''
  const logs: string[] = []
  const result = await start(
    { HOST: '127.0.0.1', PORT: '0', ...env },
    { out: (text) => (banner += text), err: (text) => logs.push(text) },
  )
  if (result === 2) throw new Error(`the demo did not start: ${logs.join('')}`)
  return { demo: result, url: result.url, banner, logs, close: () => result.close() }
}

export interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
}

/** Page requests with a cookie jar; redirects are returned, not followed. */
export class Browser {
  readonly base: string
  readonly cookies = new Map<string, string>()

  constructor(base: string) {
    this.base = base
  }

  async request(method: string, path: string, form?: Record<string, string>): Promise<Answer> {
    const headers: Record<string, string> = {}
    if (this.cookies.size > 0) {
      headers.Cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    }
    let body: string | null = null
    if (form !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded'
      body = new URLSearchParams(form).toString()
    }
    const res = await fetch(`${this.base}${path}`, { method, headers, body, redirect: 'manual' })
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const eq = pair.indexOf('=')
      const value = pair.slice(eq + 1)
      if (value === '') this.cookies.delete(pair.slice(0, eq))
      else this.cookies.set(pair.slice(0, eq), value)
    }
    return { status: res.status, headers: res.headers, text: await res.text() }
  }

  get(path: string): Promise<Answer> {
    return this.request('GET', path)
  }

  post(path: string, form: Record<string, string>): Promise<Answer> {
    return this.request('POST', path, form)
  }

  async login(user = 'alice', password = 'wonderland'): Promise<void> {
    const res = await this.post('/login', { username: user, password, next: '/' })
    if (res.status !== 302) throw new Error(`login failed: ${res.status}`)
  }
}

/** The value of a form input of a page. */
export function inputValue(page: string, name: string): string | undefined {
  const tag = new RegExp(`<input[^>]*\\bname="${name}"[^>]*>`).exec(page)?.[0]
  return tag === undefined ? undefined : /\bvalue="([^"]*)"/.exec(tag)?.[1]
}

export type Placement = 'AUTH_HEADER' | 'QUERY' | 'BODY'

/** Signs with the core's Client and sends; a form body (or `''`) makes it a form POST. */
export async function signed(
  url: string,
  options: ClientOptions,
  init: { method?: string; form?: string } = {},
): Promise<Answer> {
  const method = init.method ?? (init.form === undefined ? 'GET' : 'POST')
  const headers: Record<string, string> =
    init.form === undefined ? {} : { 'Content-Type': 'application/x-www-form-urlencoded' }
  const req = await new Client(options).sign(url, { method, body: init.form, headers })
  const res = await fetch(req.uri, {
    method,
    headers: req.headers,
    body: req.body ?? null,
    redirect: 'manual',
  })
  return { status: res.status, headers: res.headers, text: await res.text() }
}

/** Request token → login → consent → decision; returns the decision's answer. */
export async function authorize(
  demo: string,
  client: ClientOptions,
  decision: 'approve' | 'deny',
  callback = 'oob',
): Promise<{ token: string; secret: string; answer: Answer; browser: Browser }> {
  const rt = await signed(
    `${demo}/oauth/request_token`,
    { ...client, callbackUri: callback },
    {
      form: '',
    },
  )
  if (rt.status !== 200) throw new Error(`request token: ${rt.status} ${rt.text}`)
  const params = new URLSearchParams(rt.text)
  const token = params.get('oauth_token') as string
  const secret = params.get('oauth_token_secret') as string
  const browser = new Browser(demo)
  await browser.login()
  const consent = await browser.get(`/oauth/authorize?oauth_token=${encodeURIComponent(token)}`)
  if (consent.status !== 200) throw new Error(`consent: ${consent.status} ${consent.text}`)
  const answer = await browser.post('/oauth/authorize', {
    oauth_token: token,
    csrf_token: inputValue(consent.text, 'csrf_token') ?? '',
    decision,
  })
  return { token, secret, answer, browser }
}

/** The whole flow with the core's Client: the access token and its secret. */
export async function accessToken(
  demo: string,
  client: ClientOptions,
): Promise<{ token: string; secret: string; browser: Browser }> {
  const { token, secret, answer, browser } = await authorize(demo, client, 'approve')
  const verifier = /id="verifier"[^>]*>([^<]+)</.exec(answer.text)?.[1]
  if (verifier === undefined) throw new Error(`no verifier: ${answer.status} ${answer.text}`)
  const at = await signed(
    `${demo}/oauth/access_token`,
    { ...client, resourceOwnerKey: token, resourceOwnerSecret: secret, verifier },
    { form: '' },
  )
  if (at.status !== 200) throw new Error(`access token: ${at.status} ${at.text}`)
  const params = new URLSearchParams(at.text)
  return {
    token: params.get('oauth_token') as string,
    secret: params.get('oauth_token_secret') as string,
    browser,
  }
}
