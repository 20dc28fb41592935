// Shared fixtures of the endpoint tests: a provider on MemoryStore + createRequestValidator
// with an injectable clock, our Client as the signer, and assertions on error responses
// (status, oauth_problem, WWW-Authenticate on 401s, no secret or base string leaked).
import { generateKeyPairSync } from 'node:crypto'
import {
  baseStringUri,
  Client,
  type ClientStore,
  createOAuthRequest,
  createRequestValidator,
  type EndpointOptions,
  escape,
  formatAuthorizationHeader,
  formatForm,
  isFormContentType,
  isOAuthAuthorizationHeader,
  MemoryStore,
  type NonceStore,
  normalizeParameters,
  type OAuthRequest,
  type OAuthResponse,
  type Param,
  parseAuthorizationHeader,
  parseForm,
  type RejectedRequest,
  type RequestValidator,
  type RequestValidatorOptions,
  SIGNATURE_METHODS,
  type SignatureType,
  signatureBaseString,
  signHmacSha1,
  type TokenStore,
  WebApplicationServer,
} from '@x/oauth1-core'
import { expect } from 'vitest'

export const FORM = 'application/x-www-form-urlencoded'
export const PROVIDER = 'https://provider.example.com'
export const REQUEST_TOKEN_URL = `${PROVIDER}/oauth/request_token`
export const AUTHORIZE_URL = `${PROVIDER}/oauth/authorize`
export const ACCESS_TOKEN_URL = `${PROVIDER}/oauth/access_token`
export const RESOURCE_URL = 'https://api.example.com/photos?size=original'
export const CALLBACK = 'https://client.example.net/callback?state=xyz'
export const PLACEMENTS: readonly SignatureType[] = ['AUTH_HEADER', 'QUERY', 'BODY']
export const METHODS: readonly string[] = SIGNATURE_METHODS
export const PROVIDER_REALMS = ['photos', 'videos', 'docs'] as const
export const START = 1_700_000_000_000

export interface KeyPair {
  readonly publicKey: string
  readonly privateKey: string
}

export function rsaKeyPair(modulusLength = 2048): KeyPair {
  return generateKeyPairSync('rsa', {
    modulusLength,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  })
}

let cachedRsa: KeyPair | undefined
/** One 2048-bit key pair per test file (generation is slow). */
export function rsa(): KeyPair {
  cachedRsa ??= rsaKeyPair()
  return cachedRsa
}

/** A clock the store, the validator, the endpoints and the clients all share. */
export class Clock {
  ms: number
  constructor(ms = START) {
    this.ms = ms
  }
  readonly now = (): number => this.ms
  advance(seconds: number): void {
    this.ms += seconds * 1000
  }
  get seconds(): number {
    return Math.floor(this.ms / 1000)
  }
}

/** A client as the provider registered it, with the credentials the consumer holds. */
export interface TestClient {
  readonly clientKey: string
  readonly clientSecret: string
  readonly rsaPrivateKey: string
}

/** What a consumer signs with for one request. */
export interface SignSpec {
  readonly client: TestClient
  readonly signatureMethod?: string | undefined
  readonly signatureType?: SignatureType | undefined
  readonly url: string
  /** HTTP method; default GET, or POST for BODY placement. */
  readonly method?: string | undefined
  /** Body text (form-encoded unless `headers` give another Content-Type); default none (empty for BODY). */
  readonly body?: string | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
  readonly realm?: string | undefined
  readonly token?: string | undefined
  readonly tokenSecret?: string | undefined
  readonly callback?: string | undefined
  readonly verifier?: string | undefined
  readonly nonce?: string | undefined
  readonly timestamp?: string | undefined
  /** Overrides the client secret the consumer signs with (a wrong secret: bad signature). */
  readonly clientSecret?: string | undefined
  readonly clientKey?: string | undefined
  /** Clock of the consumer (default the provider's). */
  readonly now?: (() => number) | undefined
}

/** A signed request plus the base string it was signed over (to check it never leaks). */
export interface SignedOAuthRequest extends OAuthRequest {
  readonly baseString: string | undefined
}

export interface ProviderOptions {
  readonly clock?: Clock | undefined
  /** Policy of createRequestValidator (the stores default to one MemoryStore). */
  readonly policy?: Partial<RequestValidatorOptions> | undefined
  readonly endpoint?: EndpointOptions | undefined
  /** Wraps the validator (instrumentation). */
  readonly wrapValidator?: ((v: RequestValidator) => RequestValidator) | undefined
  /** Puts something between the validator and the MemoryStore (delays, counters). */
  readonly wrapStore?: ((store: MemoryStore) => ClientStore & NonceStore & TokenStore) | undefined
  /** Signature method of requests that name none (default HMAC-SHA1). */
  readonly signatureMethod?: string | undefined
}

/** A provider (one MemoryStore, one validator, all endpoints) and helpers to drive it. */
export class Provider {
  readonly clock: Clock
  readonly store: MemoryStore
  readonly validator: RequestValidator
  readonly server: WebApplicationServer
  /** Every secret handed out or registered: none may appear in an error response. */
  readonly secrets = new Set<string>()
  /** Base strings of the requests signed through {@link sign}. */
  readonly baseStrings = new Set<string>()
  readonly alice: TestClient
  readonly bob: TestClient
  readonly signatureMethod: string
  #clients = 0

  constructor(options: ProviderOptions = {}) {
    this.clock = options.clock ?? new Clock()
    this.signatureMethod = options.signatureMethod ?? 'HMAC-SHA1'
    this.store = new MemoryStore({ now: this.clock.now })
    const stores = options.wrapStore ? options.wrapStore(this.store) : this.store
    const validator = createRequestValidator({
      clients: stores,
      nonces: stores,
      tokens: stores,
      realms: PROVIDER_REALMS,
      now: this.clock.now,
      onWarning: () => {},
      ...options.policy,
    })
    this.validator = options.wrapValidator ? options.wrapValidator(validator) : validator
    this.server = new WebApplicationServer(this.validator, {
      now: this.clock.now,
      onWarning: () => {},
      ...options.endpoint,
    })
    this.alice = this.addClient('alice-app')
    this.bob = this.addClient('bob-app')
  }

  /** Registers a client with a random shared secret and the file's RSA public key. */
  addClient(
    name = `client-${++this.#clients}`,
    extra: {
      rsa?: KeyPair
      allowedRealms?: readonly string[]
      callbackUris?: readonly string[]
    } = {},
  ): TestClient {
    const keys = extra.rsa ?? rsa()
    const client: TestClient = {
      clientKey: `${name}-key`,
      clientSecret: `${name}-secret-${randomText(24)}`,
      rsaPrivateKey: keys.privateKey,
    }
    this.store.saveClient({
      clientKey: client.clientKey,
      clientSecret: client.clientSecret,
      rsaPublicKey: keys.publicKey,
      name,
      allowedRealms: extra.allowedRealms,
      callbackUris: extra.callbackUris,
    })
    this.secrets.add(client.clientSecret)
    this.secrets.add(keys.privateKey)
    return client
  }

  /** Signs a request with our Client and returns it as the endpoints receive it. */
  async sign(spec: SignSpec): Promise<SignedOAuthRequest> {
    const type = spec.signatureType ?? 'AUTH_HEADER'
    const client = new Client({
      clientKey: spec.clientKey ?? spec.client.clientKey,
      clientSecret: spec.clientSecret ?? spec.client.clientSecret,
      rsaKey: spec.client.rsaPrivateKey,
      signatureMethod: spec.signatureMethod ?? this.signatureMethod,
      signatureType: type,
      resourceOwnerKey: spec.token,
      resourceOwnerSecret: spec.tokenSecret,
      callbackUri: spec.callback,
      verifier: spec.verifier,
      nonce: spec.nonce,
      timestamp: spec.timestamp,
      now: spec.now ?? this.clock.now,
    })
    const hasBody = spec.body !== undefined || type === 'BODY'
    const method = spec.method ?? (type === 'BODY' ? 'POST' : 'GET')
    const headers: Record<string, string> = { ...spec.headers }
    const typed = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')
    if (hasBody && !typed) headers['Content-Type'] = FORM
    const signed = await client.sign(spec.url, {
      method,
      body: hasBody ? (spec.body ?? '') : undefined,
      headers,
      realm: spec.realm,
    })
    if (signed.baseString !== undefined) this.baseStrings.add(signed.baseString)
    const req = createOAuthRequest({
      method,
      url: signed.uri,
      headers: signed.headers,
      body: signed.body,
    })
    return { ...req, baseString: signed.baseString }
  }

  // --- the three legs ---------------------------------------------------------------------

  /** Step 1: temporary credentials. Realms go where the placement puts parameters. */
  async requestToken(
    opts: {
      client?: TestClient
      signatureMethod?: string
      signatureType?: SignatureType
      callback?: string
      realm?: string
    } = {},
  ): Promise<{ token: string; secret: string; response: OAuthResponse }> {
    const type = opts.signatureType ?? 'AUTH_HEADER'
    const realm = opts.realm ?? 'photos videos'
    let url = REQUEST_TOKEN_URL
    let body: string | undefined
    if (type === 'QUERY') url = `${url}?${formatForm([['realm', realm]])}`
    if (type === 'BODY') body = formatForm([['realm', realm]])
    const req = await this.sign({
      client: opts.client ?? this.alice,
      signatureMethod: opts.signatureMethod,
      signatureType: type,
      url,
      method: 'POST',
      body,
      realm: type === 'AUTH_HEADER' ? realm : undefined,
      callback: opts.callback ?? CALLBACK,
    })
    const response = await this.server.createRequestTokenResponse(req)
    expectSuccess(response, 200)
    const fields = form(response)
    expect(fields.oauth_callback_confirmed).toBe('true')
    const token = fields.oauth_token as string
    const secret = fields.oauth_token_secret as string
    this.secrets.add(secret)
    return { token, secret, response }
  }

  /** The consent page's GET: the token in the query. */
  authorizationRequest(token: string): OAuthRequest {
    return createOAuthRequest({
      method: 'GET',
      url: `${AUTHORIZE_URL}?${formatForm([['oauth_token', token]])}`,
    })
  }

  /** The consent form's POST: the token in the form body. */
  approvalRequest(token: string): OAuthRequest {
    return createOAuthRequest({
      method: 'POST',
      url: AUTHORIZE_URL,
      headers: { 'content-type': FORM },
      body: formatForm([['oauth_token', token]]),
    })
  }

  /** Step 2: alice approves; answers the verifier from the redirect (or the oob page). */
  async authorize(
    token: string,
    grant: { resourceOwner?: string; realms?: readonly string[] } = {},
  ): Promise<{ verifier: string; response: OAuthResponse }> {
    const response = await this.server.createAuthorizationResponse(this.approvalRequest(token), {
      resourceOwner: grant.resourceOwner ?? 'alice',
      realms: grant.realms ?? ['photos'],
    })
    let fields: Record<string, string>
    if (response.status === 302) {
      const location = new URL(response.headers.Location as string)
      fields = Object.fromEntries(location.searchParams)
    } else {
      expectSuccess(response, 200)
      fields = form(response)
    }
    expect(fields.oauth_token).toBe(token)
    const verifier = fields.oauth_verifier as string
    expect(verifier).toMatch(/^[A-Za-z0-9]{20,64}$/)
    this.secrets.add(verifier)
    return { verifier, response }
  }

  /** Step 3 request (not sent). */
  accessTokenRequest(opts: {
    client?: TestClient
    signatureMethod?: string
    signatureType?: SignatureType
    token: string
    secret: string
    verifier: string
    nonce?: string
  }): Promise<SignedOAuthRequest> {
    return this.sign({
      client: opts.client ?? this.alice,
      signatureMethod: opts.signatureMethod,
      signatureType: opts.signatureType,
      url: ACCESS_TOKEN_URL,
      method: 'POST',
      token: opts.token,
      tokenSecret: opts.secret,
      verifier: opts.verifier,
      nonce: opts.nonce,
    })
  }

  /** Step 3: token credentials. */
  async accessToken(opts: {
    client?: TestClient
    signatureMethod?: string
    signatureType?: SignatureType
    token: string
    secret: string
    verifier: string
  }): Promise<{ token: string; secret: string; realms: string; response: OAuthResponse }> {
    const response = await this.server.createAccessTokenResponse(
      await this.accessTokenRequest(opts),
    )
    expectSuccess(response, 200)
    const fields = form(response)
    const secret = fields.oauth_token_secret as string
    this.secrets.add(secret)
    return {
      token: fields.oauth_token as string,
      secret,
      realms: fields.oauth_authorized_realms as string,
      response,
    }
  }

  /** A protected-resource request (GET, or a form POST for BODY placement). */
  resourceRequest(opts: {
    client?: TestClient
    signatureMethod?: string
    signatureType?: SignatureType
    token?: string | undefined
    secret?: string | undefined
    url?: string
    realm?: string
    nonce?: string
  }): Promise<SignedOAuthRequest> {
    const type = opts.signatureType ?? 'AUTH_HEADER'
    return this.sign({
      client: opts.client ?? this.alice,
      signatureMethod: opts.signatureMethod,
      signatureType: type,
      url: opts.url ?? RESOURCE_URL,
      method: type === 'BODY' ? 'POST' : 'GET',
      body: type === 'BODY' ? formatForm([['title', 'Sunset at the beach']]) : undefined,
      token: opts.token,
      tokenSecret: opts.secret,
      realm: opts.realm,
      nonce: opts.nonce,
    })
  }

  /** Steps 1 to 3 for alice's app with the given method and placement. */
  async threeLegged(
    opts: { client?: TestClient; signatureMethod?: string; signatureType?: SignatureType } = {},
  ): Promise<{ token: string; secret: string }> {
    const rt = await this.requestToken(opts)
    const { verifier } = await this.authorize(rt.token)
    const at = await this.accessToken({ ...opts, token: rt.token, secret: rt.secret, verifier })
    return { token: at.token, secret: at.secret }
  }

  /** An authorized request token, ready to exchange. */
  async authorizedRequestToken(
    opts: { client?: TestClient; callback?: string } = {},
  ): Promise<{ token: string; secret: string; verifier: string }> {
    const rt = await this.requestToken(opts)
    const { verifier } = await this.authorize(rt.token)
    return { token: rt.token, secret: rt.secret, verifier }
  }

  // --- assertions -------------------------------------------------------------------------

  /** Asserts an error response and that it leaks nothing; answers its fields. */
  expectError(response: OAuthResponse, status: number, problem: string): Record<string, string> {
    const fields = expectErrorResponse(response, status, problem)
    this.expectNoLeak(response)
    return fields
  }

  /** Asserts a rejected validation result. */
  expectRejected(
    result: { readonly ok: boolean },
    status: number,
    problem: string,
  ): Record<string, string> {
    expect(result.ok).toBe(false)
    const rejected = result as RejectedRequest
    expect(rejected.error.code).toBe(problem)
    expect(rejected.error.status).toBe(status)
    return this.expectError(rejected.response, status, problem)
  }

  /** No secret, and no base string, in any header or the body. */
  expectNoLeak(response: OAuthResponse): void {
    expectNoLeak(response, this.secrets, this.baseStrings)
  }
}

// --- free helpers -------------------------------------------------------------------------

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
export function randomText(length: number): string {
  let out = ''
  for (let i = 0; i < length; i++) out += ALNUM[Math.floor(Math.random() * ALNUM.length)]
  return out
}

/** A response's form-encoded body as a record (the last of repeated names wins). */
export function form(response: OAuthResponse): Record<string, string> {
  return Object.fromEntries(parseForm(response.body ?? ''))
}

export function expectSuccess(response: OAuthResponse, status: number): void {
  if (response.status !== status) {
    throw new Error(`expected ${status}, got ${response.status}: ${response.body ?? ''}`)
  }
  expect(response.headers['Cache-Control']).toBe('no-store')
}

/** Status, form body with `oauth_problem`, and the 401 challenge. */
export function expectErrorResponse(
  response: OAuthResponse,
  status: number,
  problem: string,
): Record<string, string> {
  const fields = form(response)
  expect({ status: response.status, problem: fields.oauth_problem }).toEqual({ status, problem })
  expect(response.headers['Content-Type']).toBe(FORM)
  expect(response.headers['Cache-Control']).toBe('no-store')
  if (status === 401) {
    // A quoted-string (RFC 9110 §5.6.4) of printable ASCII: nothing else belongs in a header.
    expect(response.headers['WWW-Authenticate']).toMatch(/^OAuth realm="(?:[^"\\]|\\.)*"$/)
    expect(response.headers['WWW-Authenticate']).toMatch(/^[\x20-\x7e]*$/)
  } else {
    expect(response.headers['WWW-Authenticate']).toBeUndefined()
  }
  expect(typeof fields.error).toBe('string')
  return fields
}

/** Every encoding a secret could take in a body or header. */
function encodings(text: string): string[] {
  const out = new Set([text, escape(text), encodeURIComponent(text)])
  return [...out]
}

export function expectNoLeak(
  response: OAuthResponse,
  secrets: Iterable<string>,
  baseStrings: Iterable<string> = [],
): void {
  const texts = [response.body ?? '', ...Object.values(response.headers)]
  for (const secret of [...secrets, ...baseStrings]) {
    for (const encoded of encodings(secret)) {
      for (const text of texts) {
        if (text.includes(encoded)) {
          throw new Error(`response leaks a secret or base string: ${JSON.stringify(text)}`)
        }
      }
    }
  }
  // The base string's characteristic shape (METHOD&https%3A%2F%2F…) never appears either.
  for (const text of texts) expect(text).not.toMatch(/[A-Z]+&https?%3A%2F%2F/)
}

// --- endpoints as targets -----------------------------------------------------------------

/** The four signed endpoints. */
export const TARGETS = ['request-token', 'access-token', 'resource', 'signature-only'] as const
export type Target = (typeof TARGETS)[number]

/**
 * A valid signed request for a target (HMAC-SHA1 in the Authorization header unless the
 * spec says otherwise), with fresh credentials: for the access-token endpoint an
 * authorized request token, for the resource endpoint an access token for realm photos.
 */
export async function validRequest(
  p: Provider,
  target: Target,
  spec: Partial<SignSpec> = {},
): Promise<SignedOAuthRequest> {
  switch (target) {
    case 'request-token':
      return p.sign({
        client: p.alice,
        url: REQUEST_TOKEN_URL,
        method: 'POST',
        callback: CALLBACK,
        realm: 'photos',
        ...spec,
      })
    case 'access-token': {
      const rt = await p.authorizedRequestToken()
      return p.sign({
        client: p.alice,
        url: ACCESS_TOKEN_URL,
        method: 'POST',
        token: rt.token,
        tokenSecret: rt.secret,
        verifier: rt.verifier,
        ...spec,
      })
    }
    case 'resource': {
      const at = await p.threeLegged()
      return p.sign({
        client: p.alice,
        url: RESOURCE_URL,
        token: at.token,
        tokenSecret: at.secret,
        ...spec,
      })
    }
    case 'signature-only':
      return p.sign({ client: p.alice, url: RESOURCE_URL, ...spec })
  }
}

const OK: OAuthResponse = { status: 200, headers: {}, body: undefined }

/** Sends a request to a target; a validating endpoint's success is a bare 200. */
export async function send(
  p: Provider,
  target: Target,
  req: OAuthRequest,
  realms: readonly string[] = ['photos'],
): Promise<OAuthResponse> {
  switch (target) {
    case 'request-token':
      return p.server.createRequestTokenResponse(req)
    case 'access-token':
      return p.server.createAccessTokenResponse(req)
    case 'resource':
      return resultResponse(await p.server.validateProtectedResourceRequest(req, { realms }))
    case 'signature-only':
      return resultResponse(await p.server.validateRequest(req))
  }
}

/** A validation result as a response (a bare 200 when ok); the error and response agree. */
export function resultResponse(result: { readonly ok: true } | RejectedRequest): OAuthResponse {
  if (result.ok) return OK
  expect(result.response.status).toBe(result.error.status)
  expect(form(result.response).oauth_problem).toBe(result.error.code)
  return result.response
}

// --- editing requests ---------------------------------------------------------------------

function splitUrl(url: string): { base: string; query: string | undefined } {
  const q = url.indexOf('?')
  return q === -1
    ? { base: url, query: undefined }
    : { base: url.slice(0, q), query: url.slice(q + 1) }
}

/**
 * Rewrites the protocol parameters wherever they are (header, query or body), keeping
 * everything else. Used to break a signed request in one precise way.
 */
export function editOauthParams(
  req: OAuthRequest,
  edit: (params: Param[]) => Param[],
): OAuthRequest {
  const authorization = req.headers.authorization
  if (authorization !== undefined && isOAuthAuthorizationHeader(authorization)) {
    const parsed = parseAuthorizationHeader(authorization)
    return {
      ...req,
      headers: {
        ...req.headers,
        authorization: formatAuthorizationHeader(edit(parsed.params), parsed.realm),
      },
    }
  }
  const { base, query } = splitUrl(req.url)
  if (query !== undefined && parseForm(query).some(([n]) => n.startsWith('oauth_'))) {
    return { ...req, url: `${base}?${formatForm(edit(parseForm(query)))}` }
  }
  if (req.body !== undefined && isFormContentType(req.headers['content-type'])) {
    return { ...req, body: formatForm(edit(parseForm(req.body))) }
  }
  throw new Error('no protocol parameters to edit')
}

/** Removes one protocol parameter. */
export function dropParam(req: OAuthRequest, name: string): OAuthRequest {
  return editOauthParams(req, (params) => params.filter(([n]) => n !== name))
}

/** Sets one protocol parameter (replacing it, or appending it). */
export function setParam(req: OAuthRequest, name: string, value: string): OAuthRequest {
  return editOauthParams(req, (params) =>
    params.some(([n]) => n === name)
      ? params.map(([n, v]) => [n, n === name ? value : v] as Param)
      : [...params, [name, value]],
  )
}

/** A protocol parameter's value. */
export function paramOf(req: OAuthRequest, name: string): string | undefined {
  let found: string | undefined
  editOauthParams(req, (params) => {
    found = params.find(([n]) => n === name)?.[1]
    return params
  })
  return found
}

/**
 * Signs protocol parameters exactly as given (HMAC-SHA1 or PLAINTEXT), for requests our
 * Client would never produce: oauth_version 2.0, no nonce, and so on.
 */
export async function signRaw(opts: {
  readonly method: string
  readonly url: string
  readonly placement: SignatureType
  readonly oauth: readonly Param[]
  readonly body?: readonly Param[] | undefined
  readonly clientSecret: string
  readonly tokenSecret?: string | undefined
  readonly plaintext?: boolean | undefined
}): Promise<OAuthRequest> {
  const { base, query } = splitUrl(opts.url)
  const signed = [...parseForm(query ?? ''), ...opts.oauth, ...(opts.body ?? [])]
  const baseString = signatureBaseString(
    opts.method,
    baseStringUri(base),
    normalizeParameters(signed),
  )
  const signature = opts.plaintext
    ? `${escape(opts.clientSecret)}&${escape(opts.tokenSecret ?? '')}`
    : await signHmacSha1(baseString, opts.clientSecret, opts.tokenSecret)
  const all: Param[] = [...opts.oauth, ['oauth_signature', signature]]
  const headers: Record<string, string> = {}
  let url = opts.url
  let body = opts.body === undefined ? undefined : formatForm(opts.body)
  if (opts.placement === 'AUTH_HEADER') headers.authorization = formatAuthorizationHeader(all)
  else if (opts.placement === 'QUERY')
    url = `${url}${query === undefined ? '?' : '&'}${formatForm(all)}`
  else body = formatForm([...(opts.body ?? []), ...all])
  if (body !== undefined) headers['content-type'] = FORM
  return createOAuthRequest({ method: opts.method, url, headers, body })
}

// --- stores with a twist ------------------------------------------------------------------

/** Calls per store method, filled by {@link instrumentStore}. */
export type CallCounts = Map<string, number>

/**
 * Wraps a MemoryStore so that every method call is counted and, with `delay`, becomes
 * async with a random 0–2 ms wait before it delegates: the interleavings of a networked
 * store. Each call still delegates to ONE synchronous MemoryStore call, so the atomic
 * operations must stay atomic.
 */
export function instrumentStore(
  store: MemoryStore,
  options: { readonly delay: boolean; readonly counts?: CallCounts },
): ClientStore & NonceStore & TokenStore {
  const counts = options.counts ?? new Map<string, number>()
  return new Proxy(store, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target)
      if (typeof value !== 'function') return value
      const name = String(prop)
      return (...args: unknown[]) => {
        counts.set(name, (counts.get(name) ?? 0) + 1)
        if (!options.delay) return Reflect.apply(value, target, args)
        return new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 3))).then(
          () => Reflect.apply(value, target, args),
        )
      }
    },
  })
}
