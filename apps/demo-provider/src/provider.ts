// The demo provider's behaviour, shared by the three adapters (src/servers/*): the
// validator and endpoints, sessions and CSRF, the pages, and what each route answers.
// Everything here works on the core's neutral OAuthRequest / OAuthResponse.
import { createHash, timingSafeEqual } from 'node:crypto'
import {
  type AuthorizationDetails,
  type AuthorizationEndpoint,
  type AuthorizationGrant,
  type AuthorizedResourceRequest,
  createRequestValidator,
  generateToken,
  importRsaPublicKey,
  isFormContentType,
  type OAuthRequest,
  type OAuthResponse,
  parseForm,
  type RequestValidator,
  type VerifiedRequest,
  type WarningHandler,
  WebApplicationServer,
} from '@x/oauth1-core'
import type { AdapterOptions } from '@x/oauth1-core/http'
import { isValidCallback, type SeedClient } from './config.js'
import { html, page, type SafeHtml } from './html.js'
import { isSessionId, newCsrfToken, newSessionId, type SessionData } from './sessions.js'
import type { DemoState } from './state.js'

/** The realms this provider offers; a client that asks for none gets all of them. */
export const DEMO_REALMS: readonly string[] = ['profile', 'echo']

const REALM_DESCRIPTIONS: Readonly<Record<string, string>> = {
  profile: 'See your user name',
  echo: 'Send data to the echo API on your behalf',
}

export const SESSION_COOKIE = 'demo_session'

export interface DemoProviderOptions {
  readonly state: DemoState
  /** The one resource owner who can sign in. */
  readonly user: string
  readonly password: string
  /** Bound to loopback: plain HTTP and PLAINTEXT (even without nonce) are accepted there. */
  readonly loopback: boolean
  /** Public origin when behind a TLS-terminating proxy. */
  readonly publicUrl?: string | undefined
  /** Session lifetime in seconds (default 8 hours). */
  readonly sessionTtl?: number | undefined
  readonly now?: (() => number) | undefined
  readonly onWarning?: WarningHandler | undefined
}

/** A neutral handler of a page. */
export type PageHandler = (req: OAuthRequest) => Promise<OAuthResponse>

/** What a route does; each adapter maps every kind onto its own verbs. */
export type Route = { readonly method: 'GET' | 'POST'; readonly path: string } & (
  | { readonly type: 'token'; readonly endpoint: (req: OAuthRequest) => Promise<OAuthResponse> }
  | { readonly type: 'page'; readonly handle: PageHandler }
  | {
      readonly type: 'protected'
      readonly respond: (auth: AuthorizedResourceRequest) => OAuthResponse
    }
  | { readonly type: 'signed'; readonly respond: (auth: VerifiedRequest) => OAuthResponse }
  | { readonly type: 'consent' }
  | { readonly type: 'decision' }
)

/** A check that either lets the request on (with a value) or answers it. */
export type Gate<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly response: OAuthResponse }

export interface Session {
  readonly id: string
  readonly data: SessionData
}

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
}

/** An HTML page response with the security headers. */
export function htmlResponse(
  status: number,
  body: string,
  headers: Record<string, string> = {},
): OAuthResponse {
  return {
    status,
    headers: { 'Content-Type': 'text/html; charset=utf-8', ...SECURITY_HEADERS, ...headers },
    body,
  }
}

export function jsonResponse(status: number, value: unknown): OAuthResponse {
  return {
    status,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
    body: JSON.stringify(value),
  }
}

function redirect(
  location: string,
  status = 302,
  headers: Record<string, string> = {},
): OAuthResponse {
  return {
    status,
    headers: { Location: location, 'Cache-Control': 'no-store', ...headers },
    body: undefined,
  }
}

/** The fields of a page's form body (lenient: a malformed body is just empty). */
function formFields(req: OAuthRequest): URLSearchParams {
  if (req.body === undefined || !isFormContentType(req.headers['content-type'])) {
    return new URLSearchParams()
  }
  return new URLSearchParams(req.body)
}

function field(form: URLSearchParams, name: string): string {
  return form.get(name) ?? ''
}

function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest()
  return timingSafeEqual(digest(a), digest(b))
}

function cookies(req: OAuthRequest): Map<string, string> {
  const out = new Map<string, string>()
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq === -1) continue
    const name = part.slice(0, eq).trim()
    if (!out.has(name)) out.set(name, part.slice(eq + 1).trim())
  }
  return out
}

/** Path and query of the request URL (what a login form returns to). */
function localTarget(req: OAuthRequest): string {
  try {
    const url = new URL(req.url)
    return url.pathname + url.search
  } catch {
    return '/'
  }
}

/**
 * A `next` target that stays on this site: a path starting with a single `/`, no
 * backslash or control character, that resolves to the same origin. Anything else is `/`.
 */
export function safeNext(next: string | null | undefined): string {
  if (typeof next !== 'string' || !/^\/(?![/\\])/.test(next) || /[\\\s\p{Cc}]/u.test(next)) {
    return '/'
  }
  const base = 'http://demo.invalid'
  try {
    const url = new URL(next, base)
    return url.origin === base ? url.pathname + url.search + url.hash : '/'
  } catch {
    return '/'
  }
}

function tokenId(token: string): string {
  return createHash('sha256').update(token).digest('base64url').slice(0, 32)
}

const NAME = /^\P{Cc}{1,100}$/u

/**
 * The demo provider, framework-neutral: build it once, then serve {@link routes} with an
 * adapter from src/servers.
 */
export class DemoProvider {
  readonly server: WebApplicationServer
  readonly validator: RequestValidator
  readonly state: DemoState
  /** Options for every adapter call: the public URL, warnings. */
  readonly adapterOptions: AdapterOptions
  readonly routes: readonly Route[]
  /** The authorization endpoint as the consent form uses it: `oob` answers are HTML pages. */
  readonly authorization: Pick<
    AuthorizationEndpoint,
    'createAuthorizationResponse' | 'createDenialResponse'
  >
  readonly #user: string
  readonly #password: string
  readonly #sessionTtl: number
  readonly #now: () => number

  constructor(options: DemoProviderOptions) {
    this.state = options.state
    this.#user = options.user
    this.#password = options.password
    this.#sessionTtl = options.sessionTtl ?? 8 * 3600
    this.#now = options.now ?? Date.now
    const store = options.state.store
    this.validator = createRequestValidator({
      clients: store,
      nonces: store,
      tokens: store,
      realms: DEMO_REALMS,
      allowInsecureLoopback: options.loopback,
      allowPlaintextWithoutNonce: options.loopback,
      nonceRule: { minLength: 8, maxLength: 64, pattern: /^[\x21-\x7e]+$/ },
      identifierRule: { minLength: 1, maxLength: 255, pattern: /^[\x21-\x7e]+$/ },
      now: this.#now,
      onWarning: options.onWarning,
    })
    this.server = new WebApplicationServer(this.validator, {
      now: this.#now,
      onWarning: options.onWarning,
    })
    this.adapterOptions = { publicUrl: options.publicUrl, onWarning: options.onWarning }
    this.authorization = {
      createAuthorizationResponse: async (req, grant) =>
        this.#oobPage(await this.server.createAuthorizationResponse(req, grant), true),
      createDenialResponse: async (req) =>
        this.#oobPage(await this.server.createDenialResponse(req), false),
    }
    const requestToken = (req: OAuthRequest) => this.server.createRequestTokenResponse(req)
    const accessToken = (req: OAuthRequest) => this.server.createAccessTokenResponse(req)
    const me = (auth: AuthorizedResourceRequest) => this.me(auth)
    const ping = (auth: VerifiedRequest) => jsonResponse(200, { client: auth.clientKey })
    this.routes = [
      { method: 'POST', path: '/oauth/request_token', type: 'token', endpoint: requestToken },
      { method: 'GET', path: '/oauth/request_token', type: 'token', endpoint: requestToken },
      { method: 'GET', path: '/oauth/authorize', type: 'consent' },
      { method: 'POST', path: '/oauth/authorize', type: 'decision' },
      { method: 'POST', path: '/oauth/access_token', type: 'token', endpoint: accessToken },
      { method: 'GET', path: '/oauth/access_token', type: 'token', endpoint: accessToken },
      { method: 'GET', path: '/api/me', type: 'protected', respond: me },
      { method: 'POST', path: '/api/me', type: 'protected', respond: me },
      { method: 'POST', path: '/api/echo', type: 'protected', respond: (a) => this.echo(a) },
      { method: 'GET', path: '/api/ping', type: 'signed', respond: ping },
      { method: 'POST', path: '/api/ping', type: 'signed', respond: ping },
      { method: 'GET', path: '/healthz', type: 'page', handle: async () => this.healthz() },
      { method: 'GET', path: '/', type: 'page', handle: (req) => this.home(req) },
      { method: 'GET', path: '/login', type: 'page', handle: (req) => this.loginForm(req) },
      { method: 'POST', path: '/login', type: 'page', handle: (req) => this.login(req) },
      { method: 'POST', path: '/logout', type: 'page', handle: (req) => this.logout(req) },
      { method: 'GET', path: '/developer', type: 'page', handle: (req) => this.developer(req) },
      { method: 'POST', path: '/developer', type: 'page', handle: (req) => this.register(req) },
      { method: 'GET', path: '/account/tokens', type: 'page', handle: (req) => this.tokens(req) },
      {
        method: 'POST',
        path: '/account/tokens/revoke',
        type: 'page',
        handle: (req) => this.revoke(req),
      },
    ]
  }

  /** Registers (or replaces) the configured client, with every demo realm by default. */
  async seedClient(client: SeedClient): Promise<void> {
    await this.state.store.saveClient({
      clientKey: client.key,
      clientSecret: client.secret,
      rsaPublicKey: client.rsaPublicKey,
      name: client.generated ? 'Demo client' : `Demo client ${client.key}`,
      callbackUris: client.callback === undefined ? undefined : [client.callback],
      defaultRealms: DEMO_REALMS,
    })
  }

  // Sessions

  async #session(req: OAuthRequest): Promise<Session | undefined> {
    const id = cookies(req).get(SESSION_COOKIE)
    if (id === undefined || !isSessionId(id)) return undefined
    const data = await this.state.sessions.get(id)
    return data === undefined ? undefined : { id, data }
  }

  async #newSession(user: string | undefined): Promise<Session> {
    const id = newSessionId()
    const data: SessionData = {
      user,
      csrf: newCsrfToken(),
      expiresAt: this.#now() + this.#sessionTtl * 1000,
    }
    await this.state.sessions.set(id, data)
    return { id, data }
  }

  #cookie(req: OAuthRequest, id: string, maxAge: number): string {
    const secure = /^https:/i.test(req.url) ? '; Secure' : ''
    return `${SESSION_COOKIE}=${id}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}`
  }

  /** The session, or a new anonymous one (for a form's CSRF token) with its cookie. */
  async #sessionForForm(
    req: OAuthRequest,
  ): Promise<{ session: Session; headers: Record<string, string> }> {
    const session = await this.#session(req)
    if (session !== undefined) return { session, headers: {} }
    const fresh = await this.#newSession(undefined)
    return {
      session: fresh,
      headers: { 'Set-Cookie': this.#cookie(req, fresh.id, this.#sessionTtl) },
    }
  }

  #csrfOk(session: Session | undefined, form: URLSearchParams): boolean {
    const sent = form.get('csrf_token')
    return (
      session !== undefined && sent !== null && sent !== '' && sameSecret(sent, session.data.csrf)
    )
  }

  #forbidden(session: Session | undefined, message: string): OAuthResponse {
    return htmlResponse(
      403,
      page({
        title: 'Forbidden',
        user: session?.data.user,
        csrf: session?.data.csrf,
        body: html`<h1>Forbidden</h1><p>${message}</p><p><a href="/">Back to the home page</a></p>`,
      }),
    )
  }

  #toLogin(req: OAuthRequest): OAuthResponse {
    return redirect(`/login?next=${encodeURIComponent(localTarget(req))}`)
  }

  // OAuth pages

  /** GET /oauth/authorize, first step: a signed-in user, or the redirect to the login page. */
  async signedIn(req: OAuthRequest): Promise<Gate<Session>> {
    const session = await this.#session(req)
    if (session?.data.user === undefined) return { ok: false, response: this.#toLogin(req) }
    return { ok: true, value: session }
  }

  /** GET /oauth/authorize, second step: the consent page for a valid request token. */
  async consentPage(session: Session, details: AuthorizationDetails): Promise<OAuthResponse> {
    const client =
      details.clientKey === undefined
        ? undefined
        : await this.state.store.getClient(details.clientKey)
    const clientName = client?.name ?? details.clientKey ?? 'An application'
    let destination: SafeHtml
    if (details.redirectUri === undefined || details.redirectUri === 'oob') {
      destination = html`<p>After you decide, this page shows a code to enter in the application.</p>`
    } else {
      let origin = details.redirectUri
      try {
        origin = new URL(details.redirectUri).origin
      } catch {}
      destination = html`<p>After you decide, you will be sent back to <strong>${origin}</strong>.</p>`
    }
    const body = html`<h1>Authorize ${clientName}?</h1>
<p><strong>${clientName}</strong> <span class="hint">(client <code>${details.clientKey ?? ''}</code>)</span>
wants to access your account <strong>${session.data.user ?? ''}</strong> with these permissions:</p>
<ul id="realms">
${
  details.realms.length === 0
    ? html`<li>No particular permission (no realm)</li>`
    : details.realms.map(
        (realm) => html`<li><code>${realm}</code>: ${REALM_DESCRIPTIONS[realm] ?? realm}</li>`,
      )
}
</ul>
${destination}
<form method="post" action="/oauth/authorize">
  <input type="hidden" name="oauth_token" value="${details.credentials.resourceOwnerKey}">
  <input type="hidden" name="csrf_token" value="${session.data.csrf}">
  <button type="submit" name="decision" value="approve">Approve</button>
  <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>`
    return htmlResponse(
      200,
      page({
        title: `Authorize ${clientName}`,
        user: session.data.user,
        csrf: session.data.csrf,
        body,
      }),
    )
  }

  /** POST /oauth/authorize, first step: signed in, the CSRF token, a decision. */
  async decision(req: OAuthRequest): Promise<Gate<AuthorizationGrant | false>> {
    const session = await this.#session(req)
    const form = formFields(req)
    if (!this.#csrfOk(session, form)) {
      return {
        ok: false,
        response: this.#forbidden(
          session,
          'The form is missing its CSRF token, or it does not match your session. Go back, reload the page and try again.',
        ),
      }
    }
    const user = session?.data.user
    if (user === undefined) {
      return { ok: false, response: this.#forbidden(session, 'Sign in first.') }
    }
    const decision = field(form, 'decision')
    if (decision === 'approve') return { ok: true, value: { resourceOwner: user } }
    if (decision === 'deny') return { ok: true, value: false }
    return {
      ok: false,
      response: htmlResponse(
        400,
        page({
          title: 'Bad request',
          user,
          csrf: session?.data.csrf,
          body: html`<h1>Bad request</h1><p>The decision must be approve or deny.</p>`,
        }),
      ),
    }
  }

  /** `oob` clients get a page instead of the core's form-encoded answer. */
  async #oobPage(res: OAuthResponse, approved: boolean): Promise<OAuthResponse> {
    if (res.status !== 200 || !isFormContentType(res.headers['Content-Type'])) return res
    const params = new URLSearchParams(res.body ?? '')
    if (!approved) {
      return htmlResponse(
        200,
        page({
          title: 'Access denied',
          body: html`<h1>Access denied</h1>
<p>You denied the application access to your account. You can close this page.</p>`,
        }),
      )
    }
    const verifier = params.get('oauth_verifier') ?? ''
    const token = params.get('oauth_token') ?? ''
    const record = token === '' ? undefined : await this.state.store.getRequestToken(token)
    const client =
      record === undefined ? undefined : await this.state.store.getClient(record.clientKey)
    const name = client?.name ?? record?.clientKey ?? 'the application'
    return htmlResponse(
      200,
      page({
        title: 'Access granted',
        body: html`<h1>Access granted</h1>
<p>Enter this verification code in ${name} to finish:</p>
<p><code id="verifier" class="secret">${verifier}</code></p>`,
      }),
    )
  }

  // APIs

  me(auth: AuthorizedResourceRequest): OAuthResponse {
    return jsonResponse(200, {
      user: auth.resourceOwner ?? null,
      client: auth.clientKey,
      realms: auth.realms,
    })
  }

  echo(auth: AuthorizedResourceRequest): OAuthResponse {
    const fields = new Map<string, string[]>()
    const body = auth.request.body
    if (
      body !== undefined &&
      body !== '' &&
      isFormContentType(auth.request.headers['content-type'])
    ) {
      for (const [name, value] of parseForm(body)) {
        if (name.startsWith('oauth_')) continue
        const list = fields.get(name)
        if (list === undefined) fields.set(name, [value])
        else list.push(value)
      }
    }
    const params = Object.fromEntries(
      [...fields].map(([name, values]) => [name, values.length === 1 ? values[0] : values]),
    )
    return jsonResponse(200, { params })
  }

  healthz(): OAuthResponse {
    return {
      status: 200,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
      body: 'ok\n',
    }
  }

  // Pages

  async home(req: OAuthRequest): Promise<OAuthResponse> {
    const session = await this.#session(req)
    const user = session?.data.user
    const body = html`<h1>oauth1 demo provider</h1>
<p>A working OAuth 1.0a (RFC 5849) provider. Register a client on the
<a href="/developer">developer page</a>, run the three-legged flow against the endpoints
below, and see or revoke what you granted on <a href="/account/tokens">your tokens</a>.</p>
${user === undefined ? html`<p><a href="/login">Sign in</a> to approve requests.</p>` : html`<p>You are signed in as <strong>${user}</strong>.</p>`}
<h2>Endpoints</h2>
<table>
<thead><tr><th scope="col">Route</th><th scope="col">What</th></tr></thead>
<tbody>
<tr><td><code>POST /oauth/request_token</code></td><td>Temporary credentials</td></tr>
<tr><td><code>GET /oauth/authorize?oauth_token=…</code></td><td>Sign in and consent</td></tr>
<tr><td><code>POST /oauth/access_token</code></td><td>Token credentials</td></tr>
<tr><td><code>GET /api/me</code></td><td>Who you are (three-legged)</td></tr>
<tr><td><code>POST /api/echo</code></td><td>Echoes a signed form (three-legged)</td></tr>
<tr><td><code>GET /api/ping</code></td><td>Two-legged: client credentials only</td></tr>
</tbody>
</table>
<p>Signature methods: HMAC-SHA1, HMAC-SHA256, HMAC-SHA512, RSA-SHA1, RSA-SHA256, RSA-SHA512, PLAINTEXT;
in the Authorization header, the query or the form body. Realms: ${DEMO_REALMS.join(', ')}.</p>`
    return htmlResponse(200, page({ title: 'Home', user, csrf: session?.data.csrf, body }))
  }

  #loginPage(
    status: number,
    next: string,
    options: { username?: string; error?: string } = {},
  ): OAuthResponse {
    const body = html`<h1>Sign in</h1>
${options.error === undefined ? '' : html`<p class="error" role="alert">${options.error}</p>`}
<form method="post" action="/login">
  <label for="username">Username</label>
  <input type="text" id="username" name="username" autocomplete="username" required value="${options.username ?? ''}">
  <label for="password">Password</label>
  <input type="password" id="password" name="password" autocomplete="current-password" required>
  <input type="hidden" name="next" value="${next}">
  <button type="submit">Sign in</button>
</form>`
    return htmlResponse(status, page({ title: 'Sign in', body }))
  }

  async loginForm(req: OAuthRequest): Promise<OAuthResponse> {
    let next: string | null = null
    try {
      next = new URL(req.url).searchParams.get('next')
    } catch {}
    return this.#loginPage(200, safeNext(next))
  }

  async login(req: OAuthRequest): Promise<OAuthResponse> {
    const form = formFields(req)
    const username = field(form, 'username')
    const next = safeNext(form.get('next'))
    // Both comparisons always run: the time does not tell which part was wrong.
    const userOk = sameSecret(username, this.#user)
    const passwordOk = sameSecret(field(form, 'password'), this.#password)
    if (!userOk || !passwordOk) {
      return this.#loginPage(401, next, { username, error: 'Wrong username or password.' })
    }
    const previous = await this.#session(req)
    if (previous !== undefined) await this.state.sessions.delete(previous.id)
    const session = await this.#newSession(this.#user)
    return redirect(next, 302, { 'Set-Cookie': this.#cookie(req, session.id, this.#sessionTtl) })
  }

  async logout(req: OAuthRequest): Promise<OAuthResponse> {
    const session = await this.#session(req)
    if (!this.#csrfOk(session, formFields(req))) {
      return this.#forbidden(session, 'The sign-out form is missing its CSRF token.')
    }
    if (session !== undefined) await this.state.sessions.delete(session.id)
    return redirect('/', 303, { 'Set-Cookie': this.#cookie(req, '', 0) })
  }

  #developerPage(
    status: number,
    session: Session,
    headers: Record<string, string>,
    options: { error?: string; name?: string; callback?: string; rsa?: string } = {},
  ): OAuthResponse {
    const body = html`<h1>Register a client</h1>
<p>A client gets a key and a shared secret (HMAC-SHA1/256/512, PLAINTEXT), and may add an
RSA public key for RSA-SHA1/256/512. Every client gets the realms ${DEMO_REALMS.join(', ')}.</p>
${options.error === undefined ? '' : html`<p class="error" role="alert">${options.error}</p>`}
<form method="post" action="/developer">
  <input type="hidden" name="csrf_token" value="${session.data.csrf}">
  <label for="name">Name</label>
  <input type="text" id="name" name="name" required maxlength="100" value="${options.name ?? ''}">
  <p class="hint">Shown to users on the consent page.</p>
  <label for="callback">Callback URL (optional)</label>
  <input type="text" id="callback" name="callback" inputmode="url" value="${options.callback ?? ''}" aria-describedby="callback-hint">
  <p class="hint" id="callback-hint">An absolute http(s) URL, or <code>oob</code>. When set, requests must use it (or <code>oob</code>); when empty, any callback is accepted.</p>
  <label for="rsa_public_key">RSA public key (optional)</label>
  <textarea id="rsa_public_key" name="rsa_public_key" aria-describedby="rsa-hint">${options.rsa ?? ''}</textarea>
  <p class="hint" id="rsa-hint">PEM: an SPKI or PKCS#1 public key, or an X.509 certificate.</p>
  <button type="submit">Register client</button>
</form>`
    return htmlResponse(
      status,
      page({ title: 'Developer', user: session.data.user, csrf: session.data.csrf, body }),
      headers,
    )
  }

  async developer(req: OAuthRequest): Promise<OAuthResponse> {
    const { session, headers } = await this.#sessionForForm(req)
    return this.#developerPage(200, session, headers)
  }

  async register(req: OAuthRequest): Promise<OAuthResponse> {
    const session = await this.#session(req)
    const form = formFields(req)
    if (session === undefined || !this.#csrfOk(session, form)) {
      return this.#forbidden(
        session,
        'The form is missing its CSRF token, or it does not match your session. Reload the developer page and try again.',
      )
    }
    const name = field(form, 'name').trim()
    const callback = field(form, 'callback').trim()
    const rsa = field(form, 'rsa_public_key').trim()
    const again = (error: string) =>
      this.#developerPage(400, session, {}, { error, name, callback, rsa })
    if (!NAME.test(name)) return again('Give the client a name (1 to 100 characters).')
    if (callback !== '' && !isValidCallback(callback)) {
      return again('The callback must be an absolute http(s) URL, or oob.')
    }
    if (rsa !== '') {
      if (rsa.length > 16 * 1024) return again('The RSA public key is too long.')
      try {
        await importRsaPublicKey(rsa)
      } catch {
        return again(
          'The RSA public key is not usable: paste a PEM SPKI or PKCS#1 public key, or an X.509 certificate.',
        )
      }
    }
    const clientKey = generateToken(24)
    const clientSecret = generateToken(32)
    await this.state.store.saveClient({
      clientKey,
      clientSecret,
      name,
      callbackUris: callback === '' ? undefined : [callback],
      rsaPublicKey: rsa === '' ? undefined : `${rsa}\n`,
      defaultRealms: DEMO_REALMS,
      metadata: { registeredBy: session.data.user ?? 'anonymous' },
    })
    const body = html`<h1>Client registered</h1>
<p><strong>${name}</strong> is registered. Copy the secret now: it is shown only once.</p>
<dl>
  <dt>Client key</dt>
  <dd><code id="client-key" class="secret">${clientKey}</code></dd>
  <dt>Client secret</dt>
  <dd><code id="client-secret" class="secret">${clientSecret}</code></dd>
  <dt>Callback</dt>
  <dd>${callback === '' ? 'any (or oob)' : html`<code>${callback}</code>`}</dd>
  <dt>RSA methods</dt>
  <dd>${rsa === '' ? 'no (no public key)' : 'yes'}</dd>
</dl>
<p><a href="/developer">Register another client</a></p>`
    return htmlResponse(
      200,
      page({ title: 'Client registered', user: session.data.user, csrf: session.data.csrf, body }),
    )
  }

  async tokens(req: OAuthRequest): Promise<OAuthResponse> {
    const session = await this.#session(req)
    const user = session?.data.user
    if (session === undefined || user === undefined) return this.#toLogin(req)
    const store = this.state.store
    const records = (await store.listAccessTokens({ resourceOwner: user })).sort(
      (a, b) => b.createdAt - a.createdAt,
    )
    const rows: SafeHtml[] = []
    for (const record of records) {
      const client = await store.getClient(record.clientKey)
      const name = client?.name ?? record.clientKey
      rows.push(html`<tr>
  <td>${name}<br><span class="hint"><code>${record.clientKey}</code></span></td>
  <td>${record.realms.join(', ') || '(none)'}</td>
  <td><time datetime="${new Date(record.createdAt).toISOString()}">${new Date(record.createdAt).toISOString().replace('T', ' ').slice(0, 19)} UTC</time></td>
  <td><form method="post" action="/account/tokens/revoke">
    <input type="hidden" name="csrf_token" value="${session.data.csrf}">
    <input type="hidden" name="token_id" value="${tokenId(record.token)}">
    <button type="submit" class="link" aria-label="Revoke access for ${name}">Revoke</button>
  </form></td>
</tr>`)
    }
    const body = html`<h1>Your access tokens</h1>
${
  rows.length === 0
    ? html`<p id="no-tokens">You have not granted any application access.</p>`
    : html`<p>Applications you allowed to use your account. Revoking a token stops it at once.</p>
<table id="tokens">
<thead><tr><th scope="col">Application</th><th scope="col">Realms</th><th scope="col">Granted</th><th scope="col"><span class="hint">Action</span></th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`
}`
    return htmlResponse(200, page({ title: 'Your tokens', user, csrf: session.data.csrf, body }))
  }

  async revoke(req: OAuthRequest): Promise<OAuthResponse> {
    const session = await this.#session(req)
    const form = formFields(req)
    if (!this.#csrfOk(session, form)) {
      return this.#forbidden(
        session,
        'The form is missing its CSRF token. Reload the page and try again.',
      )
    }
    const user = session?.data.user
    if (user === undefined) return this.#forbidden(session, 'Sign in first.')
    const id = field(form, 'token_id')
    const records = await this.state.store.listAccessTokens({ resourceOwner: user })
    const record = records.find((r) => tokenId(r.token) === id)
    if (record === undefined) {
      return htmlResponse(
        404,
        page({
          title: 'Not found',
          user,
          csrf: session?.data.csrf,
          body: html`<h1>Not found</h1><p>No such token (already revoked?).</p><p><a href="/account/tokens">Your tokens</a></p>`,
        }),
      )
    }
    await this.state.store.revokeAccessToken(record.token)
    return redirect('/account/tokens', 303)
  }

  /**
   * Whatever no route answered: 405 (with `Allow`) for a known path, 204 for OPTIONS on
   * one, the 404 page otherwise.
   */
  async fallback(req: OAuthRequest): Promise<OAuthResponse> {
    let path = ''
    try {
      path = new URL(req.url).pathname
    } catch {}
    const allowed = this.routes.filter((r) => r.path === path).map((r) => r.method as string)
    if (allowed.length === 0) return this.notFound(req)
    if (allowed.includes('GET')) allowed.push('HEAD')
    allowed.push('OPTIONS')
    if (req.method === 'OPTIONS') {
      return { status: 204, headers: { Allow: allowed.join(', ') }, body: undefined }
    }
    return methodNotAllowed(allowed)
  }

  async notFound(req: OAuthRequest): Promise<OAuthResponse> {
    const session = await this.#session(req).catch(() => undefined)
    return htmlResponse(
      404,
      page({
        title: 'Not found',
        user: session?.data.user,
        csrf: session?.data.csrf,
        body: html`<h1>Not found</h1><p>There is nothing here. <a href="/">Home</a></p>`,
      }),
    )
  }
}

/** The 405 of a known path with another method. */
export function methodNotAllowed(allowed: readonly string[]): OAuthResponse {
  return {
    status: 405,
    headers: {
      Allow: allowed.join(', '),
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
    },
    body: 'Method Not Allowed\n',
  }
}
