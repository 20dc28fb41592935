// Fuzzing every endpoint with fast-check: valid signed requests mutated in every way a
// network, a proxy or an attacker can (characters changed, inserted, deleted; parameters
// swapped, duplicated, moved, dropped, rewritten; random headers and bytes), plus fully
// random requests. Nothing may be thrown out of an endpoint, no status may be >= 500,
// every response must be a well-formed OAuthResponse that leaks no secret, and a mutation
// that changes what the signature covers must never be accepted.
//
// To let the signature alone decide, the provider here remembers no nonce (replays are
// tested elsewhere) and exchanging a request token does not consume it (single use is
// tested elsewhere): otherwise the first accepted mutation would mask every later one.
import {
  baseStringUri,
  createOAuthRequest,
  formatForm,
  isFormContentType,
  normalizeParameters,
  OAUTH1_ERROR_STATUS,
  OAuth1Error,
  type OAuth1ErrorCode,
  type OAuthRequest,
  type OAuthResponse,
  type Param,
  parseAuthorizationHeader,
  parseForm,
  type SignatureType,
  signatureBaseString,
} from '@x/oauth1-core'
import { PROTOCOL_PARAMETER_NAMES } from '@x/oauth1-testkit'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  ACCESS_TOKEN_URL,
  AUTHORIZE_URL,
  CALLBACK,
  FORM,
  PROVIDER,
  Provider,
  REQUEST_TOKEN_URL,
  setParam,
} from './support.ts'

// --- run budget ---------------------------------------------------------------------------

const RUNS = {
  'request-token': 15_000,
  'access-token': 15_000,
  resource: 25_000,
  'signature-only': 20_000,
  'authorization info': 6_000,
  'authorization approve': 6_000,
  rsa: 2_400,
  random: 12_000,
} as const
const TOTAL = Object.values(RUNS).reduce((a, b) => a + b, 0)
const TIMEOUT = 180_000

let executed = 0
const stats = { accepted: 0, rejected: 0, neutralAccepted: 0 }

// --- the provider under test --------------------------------------------------------------

type SignedTarget = 'request-token' | 'access-token' | 'resource' | 'signature-only'

interface Base {
  readonly target: SignedTarget
  readonly req: OAuthRequest
  /** What the signature covers in the unmutated request. */
  readonly content: string
}

let p: Provider
const pools: Record<SignedTarget, Base[]> = {
  'request-token': [],
  'access-token': [],
  resource: [],
  'signature-only': [],
}
const rsaPool: Base[] = []
/** Request tokens waiting for approval (the approve endpoint consumes them). */
const pending = new Set<string>()
let pendingList: string[] = []
const knownTokens: string[] = []

function fuzzProvider(): Provider {
  return new Provider({
    wrapStore: (store) =>
      new Proxy(store, {
        get(target, prop) {
          if (prop === 'claimNonce') return () => true
          if (prop === 'exchangeRequestToken') {
            return (x: Parameters<typeof store.exchangeRequestToken>[0]) => {
              const record = target.getRequestToken(x.requestToken)
              if (record?.clientKey !== x.clientKey || record.verifier !== x.verifier) return false
              target.saveAccessToken(x.accessToken)
              return true
            }
          }
          const value: unknown = Reflect.get(target, prop, target)
          return typeof value === 'function' ? value.bind(target) : value
        },
      }),
  })
}

const URLS: Record<SignedTarget, readonly string[]> = {
  'request-token': [REQUEST_TOKEN_URL, `${REQUEST_TOKEN_URL}?lang=en&x=%E2%82%AC`],
  'access-token': [ACCESS_TOKEN_URL, `${ACCESS_TOKEN_URL}?a=1&a=2&b=`],
  resource: [
    'https://api.example.com/photos?size=original&tags=a%20b&tags=c%2Bd',
    'https://API.example.com:443/v1/users/42/photos',
  ],
  'signature-only': [
    'https://lti.example.org/launch?context_id=456&resource_link_id=r%2F1',
    'https://lti.example.org:8443/launch',
  ],
}

async function makeBase(
  target: SignedTarget,
  signatureMethod: string,
  type: SignatureType,
  url: string,
  withBody: boolean,
): Promise<Base> {
  const body =
    type === 'BODY' || withBody
      ? formatForm([
          ['title', 'Sunset & sea'],
          ['lang', 'fr'],
          ['empty', ''],
        ])
      : undefined
  const common = {
    client: p.alice,
    signatureMethod,
    signatureType: type,
    url,
    method: body === undefined ? 'GET' : 'POST',
    body,
    realm: type === 'AUTH_HEADER' ? 'photos' : undefined,
  }
  let req: OAuthRequest
  switch (target) {
    case 'request-token':
      req = await p.sign({ ...common, method: 'POST', callback: CALLBACK })
      break
    case 'access-token': {
      const rt = await p.authorizedRequestToken()
      knownTokens.push(rt.token)
      req = await p.sign({
        ...common,
        method: 'POST',
        token: rt.token,
        tokenSecret: rt.secret,
        verifier: rt.verifier,
      })
      break
    }
    case 'resource': {
      const at = await p.threeLegged()
      knownTokens.push(at.token)
      req = await p.sign({ ...common, token: at.token, tokenSecret: at.secret })
      break
    }
    case 'signature-only':
      req = await p.sign(common)
  }
  const content = signedContent(req)
  if (content === undefined) throw new Error('base request has no signed content')
  // Every base is accepted as is: the mutations below are what make the difference.
  const outcome = await callSigned(target, req)
  if (!outcome.ok) throw new Error(`base request rejected: ${outcome.response.body}`)
  return { target, req, content }
}

beforeAll(async () => {
  p = fuzzProvider()
  const hmac = ['HMAC-SHA1', 'HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512']
  for (const target of Object.keys(pools) as SignedTarget[]) {
    for (const method of hmac) {
      for (const type of ['AUTH_HEADER', 'QUERY', 'BODY'] as const) {
        for (const url of URLS[target]) {
          pools[target].push(await makeBase(target, method, type, url, false))
        }
      }
      pools[target].push(
        await makeBase(target, method, 'AUTH_HEADER', URLS[target][0] as string, true),
      )
    }
    for (const method of ['RSA-SHA1', 'RSA-SHA256']) {
      for (const type of ['AUTH_HEADER', 'QUERY', 'BODY'] as const) {
        rsaPool.push(await makeBase(target, method, type, URLS[target][0] as string, false))
      }
    }
  }
  for (let i = 0; i < 300; i++) {
    const rt = await p.requestToken({ callback: i % 3 === 0 ? 'oob' : CALLBACK })
    pending.add(rt.token)
    knownTokens.push(rt.token)
  }
  pendingList = [...pending]
}, 120_000)

afterAll(() => {
  // A summary for the log: how many mutated requests were still (rightly) accepted.
  console.info(`fuzz: ${executed} requests, ${JSON.stringify(stats)}`)
})

// --- calling endpoints and checking what comes back ---------------------------------------

interface Outcome {
  readonly ok: boolean
  readonly response: OAuthResponse
}

async function callSigned(target: SignedTarget, req: OAuthRequest): Promise<Outcome> {
  switch (target) {
    case 'request-token':
    case 'access-token': {
      const response =
        target === 'request-token'
          ? await p.server.createRequestTokenResponse(req)
          : await p.server.createAccessTokenResponse(req)
      checkResponse(response)
      if (response.status === 200) {
        const fields = new Map(parseForm(response.body ?? ''))
        if (!fields.get('oauth_token') || !fields.get('oauth_token_secret')) {
          throw new Error(`200 without credentials: ${response.body}`)
        }
        if (target === 'request-token' && fields.get('oauth_callback_confirmed') !== 'true') {
          throw new Error('request token without oauth_callback_confirmed')
        }
      } else if (response.status === 302) {
        throw new Error('a token endpoint redirected')
      }
      return { ok: response.status === 200, response }
    }
    case 'resource':
      return checkResult(
        await p.server.validateProtectedResourceRequest(req, { realms: ['photos'] }),
      )
    case 'signature-only':
      return checkResult(await p.server.validateRequest(req))
  }
}

const OK_RESPONSE: OAuthResponse = { status: 200, headers: {}, body: undefined }

/** A validation result: either ok with its fields, or an OAuth1Error and its response. */
function checkResult(result: unknown): Outcome {
  const r = result as {
    ok: unknown
    error?: unknown
    response?: OAuthResponse
    clientKey?: unknown
  }
  if (r.ok === true) {
    if (typeof r.clientKey !== 'string') throw new Error('ok result without clientKey')
    return { ok: true, response: OK_RESPONSE }
  }
  if (r.ok !== false) throw new Error(`result without ok: ${String(result)}`)
  if (!(r.error instanceof OAuth1Error)) throw new Error('rejected without an OAuth1Error')
  const response = r.response as OAuthResponse
  checkResponse(response)
  if (response.status !== r.error.status) {
    throw new Error(`error status ${r.error.status} but response ${response.status}`)
  }
  return { ok: false, response }
}

const CODES = new Set(Object.keys(OAUTH1_ERROR_STATUS))
const CHALLENGE = /^OAuth realm="(?:[^"\\]|\\.)*"$/

/** A well-formed OAuthResponse, never a 5xx, never leaking a secret. */
function checkResponse(response: OAuthResponse): void {
  const { status, headers, body } = response
  if (!Number.isInteger(status) || status < 200 || status >= 500) {
    throw new Error(`bad status ${status}: ${body}`)
  }
  if (headers === null || typeof headers !== 'object') throw new Error('headers missing')
  for (const [name, value] of Object.entries(headers)) {
    // Printable ASCII only: a control character is response splitting or a crash in Node.
    if (
      typeof value !== 'string' ||
      !/^[\t\x20-\x7e]*$/.test(value) ||
      !/^[A-Za-z-]+$/.test(name)
    ) {
      throw new Error(`bad header ${name}: ${String(value)}`)
    }
  }
  if (body !== undefined && typeof body !== 'string') throw new Error('body not a string')
  if (headers['Cache-Control'] !== 'no-store') throw new Error('missing Cache-Control')
  if (status === 302) {
    if (!headers.Location || body !== undefined) throw new Error('bad redirect')
  } else {
    if (headers['Content-Type'] !== FORM) throw new Error('not form-encoded')
    const fields = new Map(parseForm(body ?? ''))
    if (status >= 400) {
      const code = fields.get('oauth_problem') as OAuth1ErrorCode
      if (!CODES.has(code)) throw new Error(`unknown oauth_problem ${code}`)
      const expected = code === 'request_too_large' ? [400, 413] : [OAUTH1_ERROR_STATUS[code]]
      if (!expected.includes(status)) throw new Error(`${code} with status ${status}`)
      if (!fields.get('error')) throw new Error('no error field')
      if (
        status === 401
          ? !CHALLENGE.test(headers['WWW-Authenticate'] ?? '')
          : 'WWW-Authenticate' in headers
      ) {
        throw new Error(`bad challenge on ${status}: ${headers['WWW-Authenticate']}`)
      }
      for (const text of [body ?? '', ...Object.values(headers)]) {
        for (const secret of p.secrets) {
          if (text.includes(secret)) throw new Error(`error response leaks a secret: ${text}`)
        }
        if (/[A-Z]+&https?%3A%2F%2F/.test(text)) throw new Error(`leaks a base string: ${text}`)
      }
    }
  }
}

// --- the oracle: what does the signature cover? -------------------------------------------

/**
 * The signed content of a request as RFC 5849 §3.4.1 defines it, rebuilt independently of
 * the endpoints: the base string, the signature, and a non-form body when a body hash
 * covers it. `undefined` when the request is malformed. Two requests with the same
 * content are the same signed request (a neutral mutation); a request whose content
 * differs from the original's carries a signature made for something else.
 */
function signedContent(req: OAuthRequest): string | undefined {
  try {
    const url = req.url
    const hash = url.indexOf('#')
    const q = url.indexOf('?')
    const query =
      q === -1 || (hash !== -1 && hash < q) ? '' : url.slice(q + 1, hash === -1 ? undefined : hash)
    const params: Param[] = query === '' ? [] : parseForm(query)
    const auth = req.headers.authorization
    if (auth !== undefined && auth !== '') params.push(...parseAuthorizationHeader(auth).params)
    const form = isFormContentType(req.headers['content-type'])
    if (form && req.body !== undefined && req.body !== '') params.push(...parseForm(req.body))
    const signatures = params.filter(([n]) => n === 'oauth_signature')
    if (signatures.length !== 1) return undefined
    const rest = params.filter(([n]) => n !== 'oauth_signature')
    const hashed = !form && rest.some(([n]) => n === 'oauth_body_hash') ? (req.body ?? '') : ''
    const base = signatureBaseString(req.method, baseStringUri(url), normalizeParameters(rest))
    return JSON.stringify([base, signatures[0]?.[1], hashed])
  } catch {
    return undefined
  }
}

// --- mutations ----------------------------------------------------------------------------

interface Mutable {
  method: string
  url: string
  headers: Record<string, string>
  body: string | undefined
}

type Field = 'auth' | 'url' | 'body' | 'method' | 'ctype'
type Place = 'auth' | 'query' | 'body'

type Mutation =
  | { t: 'edit'; field: Field; op: 'replace' | 'insert' | 'delete'; at: number; text: string }
  | { t: 'swap'; place: Place; i: number; j: number }
  | { t: 'dup'; place: Place; i: number }
  | { t: 'drop'; place: Place; i: number }
  | { t: 'move'; from: Place; to: Place; i: number }
  | { t: 'param'; name: string; value: string }
  | { t: 'header'; name: string; value: string }
  | { t: 'realm'; value: string }
  | { t: 'case'; what: 'method' | 'scheme' | 'host' | 'auth-scheme' }
  | { t: 'port'; port: string }
  | { t: 'percent'; field: 'url' | 'body'; at: number }
  | { t: 'bytes'; field: Field; at: number; bytes: Uint8Array }

const specialChar = fc.constantFrom(...'%&=,"\\ ?#+;:/@\t\r\n\u0000~*\'()[]')
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c))
const anyChar = fc.oneof(
  { weight: 4, arbitrary: specialChar },
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: loneSurrogate },
)
const text = fc.array(anyChar, { minLength: 1, maxLength: 3 }).map((cs) => cs.join(''))
const field = fc.constantFrom<Field>('auth', 'auth', 'url', 'url', 'body', 'method', 'ctype')
const place = fc.constantFrom<Place>('auth', 'query', 'body')
const OAUTH_NAMES = [...PROTOCOL_PARAMETER_NAMES, 'realm', 'size']
const paramValue = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('', '1.0', '2.0', 'HMAC-SHA1', 'RSA-SHA1', 'PLAINTEXT', 'oob', '0', '-1'),
  fc.base64String({ maxLength: 44 }),
  fc.constantFrom('alice-app-key', 'bob-app-key', 'unknown-key'),
  // Real tokens (read when a value is generated, after the pools were built).
  fc.nat().map((i) => knownTokens[i % Math.max(knownTokens.length, 1)] ?? 'no-token'),
)
const headerName = fc.oneof(
  fc.constantFrom(
    'authorization',
    'content-type',
    'host',
    'x-forwarded-host',
    'x-forwarded-proto',
    'content-length',
    'constructor',
    '__proto__',
  ),
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }).map((s) => s.toLowerCase()),
)
const headerValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom(
    FORM,
    `${FORM}; charset=utf-8`,
    'APPLICATION/X-WWW-FORM-URLENCODED',
    'application/json',
    'multipart/form-data; boundary=x',
    'Basic YTpi',
    'OAuth',
    'OAuth realm="x"',
    'OAuth oauth_consumer_key="alice-app-key", oauth_nonce="n"',
    'api.example.com',
  ),
)

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('edit' as const),
      field,
      op: fc.constantFrom('replace' as const, 'insert' as const, 'delete' as const),
      at: fc.nat(),
      text,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant('swap' as const), place, i: fc.nat(20), j: fc.nat(20) }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('dup' as const), place, i: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('drop' as const), place, i: fc.nat(20) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('move' as const),
      from: place,
      to: place,
      i: fc.nat(20),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('param' as const),
      name: fc.constantFrom(...OAUTH_NAMES),
      value: paramValue,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('header' as const),
      name: headerName,
      value: headerValue,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('realm' as const), value: fc.string({ maxLength: 10 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('case' as const),
      what: fc.constantFrom(
        'method' as const,
        'scheme' as const,
        'host' as const,
        'auth-scheme' as const,
      ),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('port' as const),
      port: fc.constantFrom(':443', ':80', ':', ':0443', ':99999', ':8443'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('percent' as const),
      field: fc.constantFrom('url' as const, 'body' as const),
      at: fc.nat(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('bytes' as const),
      field,
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 6 }),
    }),
  },
)
const mutations = fc.array(mutation, { minLength: 1, maxLength: 3 })

function getField(m: Mutable, f: Field): string {
  switch (f) {
    case 'auth':
      return m.headers.authorization ?? ''
    case 'url':
      return m.url
    case 'body':
      return m.body ?? ''
    case 'method':
      return m.method
    case 'ctype':
      return m.headers['content-type'] ?? ''
  }
}

function setField(m: Mutable, f: Field, value: string): void {
  switch (f) {
    case 'auth':
      m.headers.authorization = value
      break
    case 'url':
      m.url = value
      break
    case 'body':
      m.body = value
      break
    case 'method':
      m.method = value
      break
    case 'ctype':
      m.headers['content-type'] = value
  }
}

function splice(s: string, op: 'replace' | 'insert' | 'delete', at: number, t: string): string {
  const pos = at % (s.length + 1)
  if (op === 'insert') return s.slice(0, pos) + t + s.slice(pos)
  if (op === 'replace') return s.slice(0, pos) + t + s.slice(pos + 1)
  return s.slice(0, pos) + s.slice(pos + 1 + (t.length % 3))
}

/** The segments of a place: header auth-params, or query / body `&` segments. */
function segments(m: Mutable, where: Place): string[] {
  if (where === 'auth') {
    const auth = m.headers.authorization ?? ''
    return auth.startsWith('OAuth ') ? auth.slice(6).split(',') : []
  }
  if (where === 'query') {
    const q = m.url.indexOf('?')
    return q === -1 ? [] : m.url.slice(q + 1).split('&')
  }
  return m.body === undefined || m.body === '' ? [] : m.body.split('&')
}

function setSegments(m: Mutable, where: Place, segs: string[]): void {
  if (where === 'auth') m.headers.authorization = `OAuth ${segs.join(',')}`
  else if (where === 'query') {
    const q = m.url.indexOf('?')
    m.url = `${q === -1 ? m.url : m.url.slice(0, q)}?${segs.join('&')}`
  } else m.body = segs.join('&')
}

/** A segment converted between header syntax (name="value") and form syntax (name=value). */
function convert(seg: string, from: Place, to: Place): string {
  if (from === to) return seg
  const eq = seg.indexOf('=')
  const name = (eq === -1 ? seg : seg.slice(0, eq)).trim()
  let value = eq === -1 ? '' : seg.slice(eq + 1).trim()
  if (from === 'auth') value = value.replace(/^"|"$/g, '')
  return to === 'auth' ? ` ${name}="${value}"` : `${name}=${value}`
}

function apply(m: Mutable, mu: Mutation): void {
  switch (mu.t) {
    case 'edit':
      setField(m, mu.field, splice(getField(m, mu.field), mu.op, mu.at, mu.text))
      return
    case 'bytes': {
      const raw = String.fromCharCode(...mu.bytes)
      setField(m, mu.field, splice(getField(m, mu.field), 'insert', mu.at, raw))
      return
    }
    case 'swap': {
      const segs = segments(m, mu.place)
      if (segs.length < 2) return
      const i = mu.i % segs.length
      const j = mu.j % segs.length
      ;[segs[i], segs[j]] = [segs[j] as string, segs[i] as string]
      setSegments(m, mu.place, segs)
      return
    }
    case 'dup':
    case 'drop': {
      const segs = segments(m, mu.place)
      if (segs.length === 0) return
      const i = mu.i % segs.length
      if (mu.t === 'dup') segs.splice(i, 0, segs[i] as string)
      else segs.splice(i, 1)
      setSegments(m, mu.place, segs)
      return
    }
    case 'move': {
      const from = segments(m, mu.from)
      if (from.length === 0 || mu.from === mu.to) return
      const i = mu.i % from.length
      const [seg] = from.splice(i, 1)
      setSegments(m, mu.from, from)
      const to = segments(m, mu.to)
      to.push(convert(seg as string, mu.from, mu.to))
      if (mu.to === 'body' && m.headers['content-type'] === undefined)
        m.headers['content-type'] = FORM
      setSegments(m, mu.to, to)
      return
    }
    case 'param': {
      const edited = setParam(m as OAuthRequest, mu.name, mu.value)
      Object.assign(m, { ...edited, headers: { ...edited.headers } })
      return
    }
    case 'header':
      m.headers[mu.name] = mu.value
      return
    case 'realm': {
      const auth = m.headers.authorization
      if (auth === undefined) return
      m.headers.authorization = auth.replace(
        /realm="[^"]*"/,
        `realm="${mu.value.replace(/["\\]/g, '')}"`,
      )
      return
    }
    case 'case':
      if (mu.what === 'method') m.method = m.method.toLowerCase()
      else if (mu.what === 'scheme') m.url = m.url.replace(/^https/, 'HTTPS')
      else if (mu.what === 'host')
        m.url = m.url.replace(/\/\/([^/?#]+)/, (_, h: string) => `//${h.toUpperCase()}`)
      else if (m.headers.authorization)
        m.headers.authorization = m.headers.authorization.replace(/^OAuth/, 'oauth')
      return
    case 'port':
      m.url = m.url.replace(/^(https:\/\/[^/:?#]+)(?::\d+)?/, `$1${mu.port}`)
      return
    case 'percent': {
      // Percent-encode one character, or decode one escape: often neutral in a form.
      const s = getField(m, mu.field)
      if (s === '') return
      const pos = mu.at % s.length
      const c = s[pos] as string
      const encoded = `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`
      setField(m, mu.field, s.slice(0, pos) + encoded + s.slice(pos + 1))
      return
    }
  }
}

function mutate(req: OAuthRequest, list: readonly Mutation[]): OAuthRequest {
  const m: Mutable = {
    method: req.method,
    url: req.url,
    headers: { ...req.headers },
    body: req.body,
  }
  for (const mu of list) {
    try {
      apply(m, mu)
    } catch (error) {
      // A mutation that needs a parse of an already broken request: skip it.
      if (
        !(error instanceof OAuth1Error) &&
        !(error instanceof Error && /no protocol parameters/.test(error.message))
      ) {
        throw error
      }
    }
  }
  return { method: m.method, url: m.url, headers: m.headers, body: m.body }
}

/** Sends a mutated signed request and checks everything, including the oracle. */
async function fuzzSigned(base: Base, list: readonly Mutation[]): Promise<void> {
  executed++
  const req = mutate(base.req, list)
  const outcome = await callSigned(base.target, req)
  if (!outcome.ok) {
    stats.rejected++
    return
  }
  stats.accepted++
  const content = signedContent(req)
  if (content !== base.content) {
    throw new Error(
      `a request whose signed content changed was accepted:\n${JSON.stringify(req)}\nbase:\n${JSON.stringify(base.req)}`,
    )
  }
  const wire = (r: OAuthRequest) => JSON.stringify([r.method, r.url, r.headers, r.body])
  if (wire(req) !== wire(base.req)) stats.neutralAccepted++
}

function pick<T>(list: readonly T[]): fc.Arbitrary<T> {
  return fc.nat(list.length - 1).map((i) => list[i] as T)
}

function runFuzz<Ts extends [unknown, ...unknown[]]>(
  numRuns: number,
  property: fc.IAsyncPropertyWithHooks<Ts>,
): Promise<void> {
  return fc.assert(property, { numRuns })
}

// --- the properties -----------------------------------------------------------------------

describe(`fuzz: ${TOTAL} generated and mutated requests across every endpoint`, () => {
  for (const target of ['request-token', 'access-token', 'resource', 'signature-only'] as const) {
    test(
      `${target}: ${RUNS[target]} mutated HMAC-signed requests`,
      async () => {
        await runFuzz(
          RUNS[target],
          fc.asyncProperty(pick(pools[target]), mutations, (base, list) => fuzzSigned(base, list)),
        )
      },
      TIMEOUT,
    )
  }

  test(
    `RSA-SHA1 and RSA-SHA256 on every signed endpoint: ${RUNS.rsa} mutated requests`,
    async () => {
      await runFuzz(
        RUNS.rsa,
        fc.asyncProperty(pick(rsaPool), mutations, (base, list) => fuzzSigned(base, list)),
      )
    },
    TIMEOUT,
  )

  test(
    `authorization, consent page (GET): ${RUNS['authorization info']} mutated requests`,
    async () => {
      await runFuzz(
        RUNS['authorization info'],
        fc.asyncProperty(
          pick(knownTokensList()),
          fc.boolean(),
          mutations,
          async (token, post, list) => {
            executed++
            const req = mutate(authorizationRequest(token, post), list)
            const result = await p.server.getRealmsAndCredentials(req)
            const outcome = checkResult(result.ok ? { ...result, clientKey: 'x' } : result)
            if (outcome.ok && result.ok) {
              const record = p.store.getRequestToken(result.credentials.resourceOwnerKey)
              if (record === undefined || record.verifier !== undefined) {
                throw new Error(
                  `consent details for a token that is not pending: ${JSON.stringify(req)}`,
                )
              }
            }
          },
        ),
      )
    },
    TIMEOUT,
  )

  test(
    `authorization, approval (POST): ${RUNS['authorization approve']} mutated requests`,
    async () => {
      await runFuzz(
        RUNS['authorization approve'],
        fc.asyncProperty(
          pick(pendingList),
          fc.boolean(),
          fc.boolean(),
          mutations,
          async (token, post, deny, list) => {
            executed++
            const req = mutate(authorizationRequest(token, post), list)
            const response = deny
              ? await p.server.createDenialResponse(req)
              : await p.server.createAuthorizationResponse(req, { resourceOwner: 'alice' })
            checkResponse(response)
            if (response.status === 200 || response.status === 302) {
              const fields =
                response.status === 302
                  ? new URL(response.headers.Location as string).searchParams
                  : new URLSearchParams(response.body)
              const approved = fields.get('oauth_token') as string
              if (!pending.delete(approved)) {
                throw new Error(
                  `a token that was not pending was ${deny ? 'denied' : 'approved'}: ${approved}`,
                )
              }
              const record = p.store.getRequestToken(approved)
              if (deny ? record !== undefined : record?.verifier !== fields.get('oauth_verifier')) {
                throw new Error('the store does not reflect the decision')
              }
            }
          },
        ),
      )
    },
    TIMEOUT,
  )

  test(
    `fully random requests to every endpoint: ${RUNS.random} requests`,
    async () => {
      await runFuzz(
        RUNS.random,
        fc.asyncProperty(randomRequest, fc.nat(6), async (req, which) => {
          executed++
          await callAny(which, req)
        }),
      )
    },
    TIMEOUT,
  )

  test(`at least 100,000 requests were generated in total (${TOTAL} planned)`, () => {
    expect(TOTAL).toBeGreaterThanOrEqual(100_000)
    expect(executed).toBeGreaterThanOrEqual(TOTAL)
    // The fuzz reached both outcomes: neutral mutations were accepted, the rest refused.
    expect(stats.neutralAccepted).toBeGreaterThan(100)
    expect(stats.rejected).toBeGreaterThan(stats.accepted)
  })
})

function knownTokensList(): string[] {
  return [...knownTokens, 'unknown-token']
}

function authorizationRequest(token: string, post: boolean): OAuthRequest {
  return post
    ? createOAuthRequest({
        method: 'POST',
        url: AUTHORIZE_URL,
        headers: { 'content-type': FORM },
        body: formatForm([['oauth_token', token]]),
      })
    : createOAuthRequest({
        method: 'GET',
        url: `${AUTHORIZE_URL}?${formatForm([['oauth_token', token]])}`,
      })
}

async function callAny(which: number, req: OAuthRequest): Promise<void> {
  switch (which) {
    case 0:
      await callSigned('request-token', req)
      return
    case 1:
      await callSigned('access-token', req)
      return
    case 2:
      await callSigned('resource', req)
      return
    case 3:
      await callSigned('signature-only', req)
      return
    case 4: {
      const result = await p.server.getRealmsAndCredentials(req)
      checkResult(result.ok ? { ...result, clientKey: 'x' } : result)
      return
    }
    case 5:
      checkResponse(await p.server.createAuthorizationResponse(req, { resourceOwner: 'eve' }))
      return
    default:
      checkResponse(await p.server.createDenialResponse(req))
  }
}

// --- fully random requests ----------------------------------------------------------------

const oauthParam = fc.tuple(
  fc.oneof(fc.constantFrom(...OAUTH_NAMES), fc.string({ maxLength: 8 })),
  fc.oneof(paramValue, fc.string({ unit: 'binary', maxLength: 10 })),
)
const oauthParams = fc.array(oauthParam, { maxLength: 10 })
const rawHeader = fc.oneof(
  oauthParams.map(
    (ps) => `OAuth ${ps.map(([n, v]) => `${n}="${v.replace(/["\\]/g, '')}"`).join(', ')}`,
  ),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => `OAuth ${s}`),
  fc.string({ maxLength: 40 }),
  headerValue,
)
const rawForm = fc.oneof(
  oauthParams.map((ps) => {
    try {
      return formatForm(ps)
    } catch {
      return ''
    }
  }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 40 }),
)
const rawUrl = fc.oneof(
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc
    .tuple(
      fc.constantFrom(
        PROVIDER,
        'https://api.example.com',
        'http://127.0.0.1',
        'https://[::1]:8443',
        'HTTPS://API.EXAMPLE.COM:443',
      ),
      rawForm,
    )
    .map(([origin, q]) => `${origin}/x?${q}`),
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    '',
    'https://',
    'https://:80/',
    'https://a:99999/',
    'https://[::1/',
    'mailto:x',
    '//x/y',
    'https://u:p@h/',
  ),
)
const randomRequest: fc.Arbitrary<OAuthRequest> = fc
  .record({
    method: fc.oneof(
      fc.constantFrom('GET', 'POST', 'put', 'DELETE', ''),
      fc.string({ maxLength: 8 }),
    ),
    url: rawUrl,
    authorization: fc.option(rawHeader, { nil: undefined }),
    contentType: fc.option(headerValue, { nil: undefined }),
    extra: fc.dictionary(headerName, headerValue, { maxKeys: 3 }),
    body: fc.option(rawForm, { nil: undefined }),
    clientAddress: fc.option(
      fc.constantFrom('127.0.0.1', '::1', '::ffff:127.0.0.1', '203.0.113.9', ''),
      {
        nil: undefined,
      },
    ),
  })
  .map(({ method, url, authorization, contentType, extra, body, clientAddress }) => {
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(extra)) {
      Object.defineProperty(headers, name, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      })
    }
    if (authorization !== undefined) headers.authorization = authorization
    if (contentType !== undefined) headers['content-type'] = contentType
    return { method, url, headers, body, clientAddress }
  })
