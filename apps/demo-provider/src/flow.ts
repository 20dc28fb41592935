// The console client's flow (src/client.ts is its command line): the whole three-legged
// OAuth 1.0a flow against a running demo, printing every step.
import { generateKeyPairSync } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Client, parseAuthorizationHeader, parseForm, type SignatureType } from '@x/oauth1-core'

export type Placement = 'header' | 'query' | 'body'

const SIGNATURE_TYPES: Readonly<Record<Placement, SignatureType>> = {
  header: 'AUTH_HEADER',
  query: 'QUERY',
  body: 'BODY',
}

export interface FlowOptions {
  /** The demo's origin, e.g. `http://127.0.0.1:3000`. */
  readonly baseUrl: string
  /** Without a key, the flow registers a client on the developer page first. */
  readonly clientKey?: string | undefined
  readonly clientSecret?: string | undefined
  /** PKCS#1 or PKCS#8 PEM, for the RSA methods (generated when the flow registers the client). */
  readonly rsaPrivateKey?: string | undefined
  /** Default `HMAC-SHA1`. */
  readonly method?: string | undefined
  /** Default `header`. */
  readonly placement?: Placement | undefined
  /** `oob` (default), `local` (a listener on 127.0.0.1 receives the redirect) or a URL. */
  readonly callback?: string | undefined
  /** Space-separated realms to ask for (default: none, so the client's default realms). */
  readonly realm?: string | undefined
  /** Non-interactive: sign in with these credentials and approve through the consent form. */
  readonly login?: { readonly user: string; readonly password: string } | undefined
  /** Prints a line (default: stdout). */
  readonly print?: ((line: string) => void) | undefined
  /** Asks the person at the console (interactive mode, `oob`): returns the verifier. */
  readonly prompt?: ((question: string) => Promise<string>) | undefined
  /** How long to wait for the callback in interactive `local` mode (ms, default 300000). */
  readonly callbackTimeout?: number | undefined
}

export interface FlowResult {
  readonly clientKey: string
  readonly accessToken: string
  readonly me: unknown
  readonly echo: unknown
  readonly ping: unknown
}

/** A step of the flow that did not answer as it should. */
export class FlowError extends Error {
  override readonly name = 'FlowError'
}

const RSA = /^RSA-/

function unescapeHtml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
}

/** The value of an `<input name="…" value="…">` in a page. */
export function inputValue(page: string, name: string): string | undefined {
  const tag = new RegExp(`<input[^>]*\\bname="${name}"[^>]*>`).exec(page)?.[0]
  const value = tag === undefined ? undefined : /\bvalue="([^"]*)"/.exec(tag)?.[1]
  return value === undefined ? undefined : unescapeHtml(value)
}

/** The text of the element with this id. */
export function elementText(page: string, id: string): string | undefined {
  const text = new RegExp(`<[a-z0-9]+[^>]*\\bid="${id}"[^>]*>([^<]*)<`).exec(page)?.[1]
  return text === undefined ? undefined : unescapeHtml(text.trim())
}

class CookieJar {
  readonly #cookies = new Map<string, string>()
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? ''
      const eq = pair.indexOf('=')
      if (eq > 0) this.#cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim())
    }
  }
  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }
}

export async function runFlow(options: FlowOptions): Promise<FlowResult> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`))
  const base = options.baseUrl.replace(/\/+$/, '')
  const method = options.method ?? 'HMAC-SHA1'
  const placement = options.placement ?? 'header'
  const signatureType = SIGNATURE_TYPES[placement]
  if (signatureType === undefined) throw new FlowError(`unknown placement ${placement}`)
  const jar = new CookieJar()

  const page = async (
    label: string,
    path: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<{ response: Response; text: string }> => {
    const headers: Record<string, string> = {}
    const cookie = jar.header()
    if (cookie !== '') headers.Cookie = cookie
    let body: string | undefined
    if (init.form !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded'
      body = new URLSearchParams(init.form).toString()
    }
    const verb = init.method ?? (body === undefined ? 'GET' : 'POST')
    print(`\n# ${label}\n→ ${verb} ${base}${path}`)
    const response = await fetch(`${base}${path}`, {
      method: verb,
      headers,
      body: body ?? null,
      redirect: 'manual',
    })
    jar.store(response)
    const text = await response.text()
    const location = response.headers.get('location')
    print(
      `← ${response.status}${location === null ? '' : ` Location: ${location}`}${response.headers.getSetCookie().length > 0 ? ' (sets a session cookie)' : ''}`,
    )
    return { response, text }
  }

  // 0. A client: the one given, or a new one from the developer page.
  let clientKey = options.clientKey
  let clientSecret = options.clientSecret
  let rsaKey = options.rsaPrivateKey
  if (clientKey === undefined) {
    let publicPem = ''
    if (RSA.test(method) && rsaKey === undefined) {
      const pair = generateKeyPairSync('rsa', { modulusLength: 2048 })
      rsaKey = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
      publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString()
      print('Generated an RSA key pair for a new client.')
    } else if (RSA.test(method)) {
      throw new FlowError(
        'give the client key (DEMO_CLIENT_KEY) that goes with the RSA private key',
      )
    }
    const form = await page('Register a client on the developer page', '/developer')
    const csrf = inputValue(form.text, 'csrf_token')
    if (csrf === undefined) throw new FlowError('the developer page has no csrf_token')
    const done = await page('Submit the registration', '/developer', {
      form: { csrf_token: csrf, name: 'Console client', callback: '', rsa_public_key: publicPem },
    })
    clientKey = elementText(done.text, 'client-key')
    clientSecret = elementText(done.text, 'client-secret')
    if (done.response.status !== 200 || clientKey === undefined || clientSecret === undefined) {
      throw new FlowError(`registration failed (${done.response.status})`)
    }
    print(`client key: ${clientKey}\nclient secret: ${clientSecret}`)
  }
  if (RSA.test(method) && rsaKey === undefined) {
    throw new FlowError(
      `${method} needs the client's RSA private key (--rsa-key or DEMO_CLIENT_RSA_PRIVATE_KEY)`,
    )
  }
  const key = clientKey
  const credentials = {
    clientKey: key,
    clientSecret,
    rsaKey,
    signatureMethod: method,
    signatureType,
  }

  /** Signs, prints and sends a request. */
  const signed = async (
    label: string,
    client: Client,
    verb: string,
    path: string,
    form?: string,
  ): Promise<{ status: number; text: string }> => {
    // Body placement needs a form body; GET cannot carry one, so those requests are POSTs.
    const httpMethod = placement === 'body' && verb === 'GET' ? 'POST' : verb
    const formBody = httpMethod === 'POST' ? (form ?? '') : undefined
    const headers: Record<string, string> =
      formBody === undefined ? {} : { 'Content-Type': 'application/x-www-form-urlencoded' }
    const request = await client.sign(`${base}${path}`, {
      method: httpMethod,
      body: formBody,
      headers,
      realm: options.realm,
    })
    print(`\n# ${label} (${method}, ${placement})\n→ ${httpMethod} ${request.uri}`)
    const authorization = request.headers.Authorization
    if (authorization !== undefined) print(`  Authorization: ${authorization}`)
    if (request.body !== undefined && request.body !== '') print(`  body: ${request.body}`)
    let signature: string | undefined
    if (authorization !== undefined) {
      signature = parseAuthorizationHeader(authorization).params.find(
        ([n]) => n === 'oauth_signature',
      )?.[1]
    } else {
      const source =
        placement === 'query' ? new URL(request.uri).search.slice(1) : (request.body ?? '')
      signature = parseForm(source).find(([n]) => n === 'oauth_signature')?.[1]
    }
    print(`  base string: ${request.baseString ?? '(none: PLAINTEXT signs no base string)'}`)
    print(
      `  signature:   ${method === 'PLAINTEXT' ? '(PLAINTEXT: the secrets themselves, not shown)' : signature}`,
    )
    const response = await fetch(request.uri, {
      method: httpMethod,
      headers: request.headers,
      body: request.body ?? null,
      redirect: 'manual',
    })
    const text = await response.text()
    print(`← ${response.status} ${text.length > 600 ? `${text.slice(0, 600)}…` : text.trim()}`)
    return { status: response.status, text }
  }

  // 1. Temporary credentials.
  let listener: { url: string; verifier: Promise<string>; close: () => void } | undefined
  let callback = options.callback ?? 'oob'
  if (callback === 'local') {
    listener = await callbackListener(options.callbackTimeout ?? 300_000)
    callback = listener.url
  }
  try {
    const rt = await signed(
      'Request temporary credentials',
      new Client({ ...credentials, callbackUri: callback }),
      'POST',
      '/oauth/request_token',
    )
    const temporary = new URLSearchParams(rt.text)
    const requestToken = temporary.get('oauth_token')
    const requestSecret = temporary.get('oauth_token_secret')
    if (rt.status !== 200 || requestToken === null || requestSecret === null) {
      throw new FlowError(`request token failed (${rt.status})`)
    }

    // 2. The resource owner's authorization.
    const authorizePath = `/oauth/authorize?oauth_token=${encodeURIComponent(requestToken)}`
    let verifier: string
    if (options.login !== undefined) {
      verifier = await approveAs(options.login, authorizePath, callback, requestToken)
    } else {
      print(
        `\n# Authorize\nOpen this page in a browser, sign in and approve:\n\n  ${base}${authorizePath}\n`,
      )
      if (listener !== undefined) {
        print(`Waiting for the redirect to ${listener.url} …`)
        verifier = await listener.verifier
      } else {
        const ask = options.prompt
        if (ask === undefined) throw new FlowError('no verifier: run interactively, or use --login')
        verifier = (await ask('Verifier shown after approval: ')).trim()
      }
    }
    print(`verifier: ${verifier}`)

    // 3. Token credentials.
    const at = await signed(
      'Exchange for token credentials',
      new Client({
        ...credentials,
        resourceOwnerKey: requestToken,
        resourceOwnerSecret: requestSecret,
        verifier,
      }),
      'POST',
      '/oauth/access_token',
    )
    const tokens = new URLSearchParams(at.text)
    const accessToken = tokens.get('oauth_token')
    const accessSecret = tokens.get('oauth_token_secret')
    if (at.status !== 200 || accessToken === null || accessSecret === null) {
      throw new FlowError(`access token failed (${at.status})`)
    }

    // 4. Protected resources.
    const authorized = new Client({
      ...credentials,
      resourceOwnerKey: accessToken,
      resourceOwnerSecret: accessSecret,
    })
    const me = await signed('Call GET /api/me (three-legged)', authorized, 'GET', '/api/me')
    if (me.status !== 200) throw new FlowError(`/api/me failed (${me.status})`)
    const echo = await signed(
      'Call POST /api/echo (three-legged, signed form body)',
      authorized,
      'POST',
      '/api/echo',
      'greeting=hello%20world&lang=en',
    )
    if (echo.status !== 200) throw new FlowError(`/api/echo failed (${echo.status})`)
    const ping = await signed(
      'Call GET /api/ping (two-legged: client credentials only)',
      new Client(credentials),
      'GET',
      '/api/ping',
    )
    if (ping.status !== 200) throw new FlowError(`/api/ping failed (${ping.status})`)
    print(`\nDone: the three-legged flow completed with ${method} in the ${placement}.`)
    return {
      clientKey: key,
      accessToken,
      me: JSON.parse(me.text),
      echo: JSON.parse(echo.text),
      ping: JSON.parse(ping.text),
    }
  } finally {
    listener?.close()
  }

  async function approveAs(
    login: { readonly user: string; readonly password: string },
    authorizePath: string,
    callbackUri: string,
    requestToken: string,
  ): Promise<string> {
    const first = await page('Open the authorization page', authorizePath)
    let consent = first
    if (first.response.status === 302) {
      const next = new URL(first.response.headers.get('location') ?? '/', base)
      const signedIn = await page(`Sign in as ${login.user}`, '/login', {
        form: {
          username: login.user,
          password: login.password,
          next: next.searchParams.get('next') ?? authorizePath,
        },
      })
      if (signedIn.response.status !== 302) {
        throw new FlowError(`sign-in failed (${signedIn.response.status})`)
      }
      const target = new URL(signedIn.response.headers.get('location') ?? '/', base)
      consent = await page('Open the consent page', target.pathname + target.search)
    }
    if (consent.response.status !== 200) {
      throw new FlowError(`consent page failed (${consent.response.status})`)
    }
    const csrf = inputValue(consent.text, 'csrf_token')
    if (csrf === undefined) throw new FlowError('the consent page has no csrf_token')
    const approved = await page('Approve', '/oauth/authorize', {
      form: { oauth_token: requestToken, csrf_token: csrf, decision: 'approve' },
    })
    if (callbackUri === 'oob') {
      const verifier = elementText(approved.text, 'verifier')
      if (approved.response.status !== 200 || verifier === undefined) {
        throw new FlowError(`approval failed (${approved.response.status})`)
      }
      return verifier
    }
    const location = approved.response.headers.get('location')
    const verifier = location === null ? null : new URL(location).searchParams.get('oauth_verifier')
    if (approved.response.status !== 302 || verifier === null) {
      throw new FlowError(`approval failed (${approved.response.status})`)
    }
    return verifier
  }
}

/** A one-shot listener on 127.0.0.1 that receives the redirect to the callback. */
async function callbackListener(
  timeout: number,
): Promise<{ url: string; verifier: Promise<string>; close: () => void }> {
  let settle: (result: { verifier?: string; error?: Error }) => void = () => {}
  const outcome = new Promise<{ verifier?: string; error?: Error }>((resolve) => {
    settle = resolve
  })
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const verifier = url.searchParams.get('oauth_verifier')
    const denied = url.searchParams.get('error')
    res.setHeader('Content-Type', 'text/plain; charset=utf-8')
    if (verifier !== null) {
      res.end('Approved: you can close this window and return to the console.\n')
      settle({ verifier })
    } else if (denied !== null) {
      res.end('Denied: you can close this window.\n')
      settle({ error: new FlowError(`the user denied access (${denied})`) })
    } else {
      res.statusCode = 404
      res.end('Not the callback.\n')
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const timer = setTimeout(
    () => settle({ error: new FlowError('timed out waiting for the callback') }),
    timeout,
  )
  const verifier = outcome.then(({ verifier: v, error }) => {
    if (v === undefined) throw error ?? new FlowError('no verifier')
    return v
  })
  verifier.catch(() => {})
  return {
    url: `http://127.0.0.1:${port}/callback`,
    verifier,
    close: () => {
      clearTimeout(timer)
      server.close()
      server.closeAllConnections()
    },
  }
}
