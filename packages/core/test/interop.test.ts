// Interop with two widely used npm signers: `oauth-1.0a` (ddo) and `oauth-sign` (the signer
// of the `request` library). Both directions: their signed requests verify with our
// server-side path, and their signature for the request our Client signs (same nonce and
// timestamp) is the signature our Client produced.
import { createHash, createHmac, generateKeyPairSync, sign as nodeSign } from 'node:crypto'
import querystring from 'node:querystring'
import {
  baseStringUri,
  Client,
  collectParameters,
  normalizeParameters,
  type Param,
  SignatureMethodRegistry,
  type SignatureType,
  signatureBaseString,
} from '@x/oauth1-core'
import fc from 'fast-check'
import OAuth from 'oauth-1.0a'
import oauthSign from 'oauth-sign'
import { describe, expect, test } from 'vitest'
import { backend as webBackend } from '../src/crypto/web.ts'
import { createSignatureFunctions } from '../src/signature/methods.ts'
import { createBuiltinSignatureMethods } from '../src/signature/registry.ts'
import { extractSignedRequest, type ReceivedRequest, verifyRequest } from './helpers/verify.ts'

const RSA = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
})
const OTHER_PUBLIC_KEY = generateKeyPairSync('rsa', { modulusLength: 1024 })
  .publicKey.export({ type: 'spki', format: 'pem' })
  .toString()
const FORM = 'application/x-www-form-urlencoded'
const NONCE = 'kllo9940pd9333jh'
const TIMESTAMP = '1191242096'
// The server side runs on both crypto backends.
const VERIFIERS: readonly [string, SignatureMethodRegistry][] = [
  ['default backend', new SignatureMethodRegistry()],
  [
    'web backend',
    new SignatureMethodRegistry(
      createBuiltinSignatureMethods(createSignatureFunctions(webBackend)),
    ),
  ],
]

const rfc3986 = oauthSign.rfc3986

interface InteropCase {
  readonly name: string
  readonly method: string
  /** Already normalized (lower-case host, no default port): neither library normalizes it. */
  readonly baseUrl: string
  readonly query: readonly Param[]
  /** Form body pairs, or a JSON text covered by `oauth_body_hash`. */
  readonly body?: readonly Param[] | { readonly json: string }
  readonly consumerKey: string
  readonly consumerSecret: string
  readonly token?: string
  readonly tokenSecret?: string
}

const CASES: readonly InteropCase[] = [
  {
    name: 'form POST with a query (the Twitter documentation request)',
    method: 'POST',
    baseUrl: 'https://api.twitter.com/1.1/statuses/update.json',
    query: [['include_entities', 'true']],
    body: [['status', 'Hello Ladies + Gentlemen, a signed OAuth request!']],
    consumerKey: 'xvz1evFS4wEEPTGEFPHBog',
    consumerSecret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
    token: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
    tokenSecret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
  },
  {
    name: 'special characters in query values',
    method: 'GET',
    baseUrl: 'http://photos.example.net:8080/photos',
    query: [
      ['space', 'a b'],
      ['plus', '1+1=2'],
      ['percent', '100%'],
      ['slash', '/path/to?x=y&z'],
      ['tilde', '~user'],
      ['unicode', 'café ✓ 中文 😀'],
      ['reserved', "!*'();:@&=+$,/?#[]"],
    ],
    consumerKey: 'dpf43f3p2l4k3l03',
    consumerSecret: 'kd94hf93k423kf44',
    token: 'nnch734d00sl2jdk',
    tokenSecret: 'pfkkdhi9sl3r4s00',
  },
  {
    name: 'special characters in secrets and keys, no token',
    method: 'GET',
    baseUrl: 'https://example.com/',
    query: [],
    consumerKey: 'key with space+plus/ü',
    consumerSecret: 'kd94 hf93+k423/kf44%~é&',
  },
  {
    name: 'special characters in the token secret',
    method: 'DELETE',
    baseUrl: 'https://example.com/r',
    query: [['id', '42']],
    consumerKey: 'ck',
    consumerSecret: '',
    token: 'tok/en+=',
    tokenSecret: 'ts & 😀 % ~/+',
  },
  {
    name: 'repeated names and empty values',
    method: 'POST',
    baseUrl: 'https://example.com/items',
    query: [
      ['a', '2'],
      ['a', '1'],
      ['a', '10'],
      ['empty', ''],
    ],
    body: [
      ['b', 'y'],
      ['b', 'x'],
      ['b', ''],
      ['blank', ''],
    ],
    consumerKey: 'ck',
    consumerSecret: 'cs',
    token: 'tk',
    tokenSecret: 'ts',
  },
  {
    name: 'unicode names and values in a form body, encoded path',
    method: 'PUT',
    baseUrl: 'https://example.com/caf%C3%A9/%E2%9C%93',
    query: [],
    body: [
      ['naïve name', 'ü / ~ + %'],
      ['emoji 😀', 'x y'],
      ['中', '文'],
    ],
    consumerKey: 'ck',
    consumerSecret: 'cs',
    token: 'tk',
    tokenSecret: 'ts',
  },
  {
    name: 'JSON body covered by oauth_body_hash',
    method: 'POST',
    baseUrl: 'https://example.com/json',
    query: [['v', '1 2']],
    body: { json: '{"hello":"world","plus":"+ %","ü":[1,2]}' },
    consumerKey: 'ck',
    consumerSecret: 'cs',
    token: 'tk',
    tokenSecret: 'ts',
  },
]

// --- helpers -------------------------------------------------------------------------------

/** RFC 3986 query text written with oauth-sign's encoder (so not with ours). */
function queryText(pairs: readonly Param[]): string {
  return pairs.map(([n, v]) => `${rfc3986(n)}=${rfc3986(v)}`).join('&')
}

function urlOf(c: InteropCase): string {
  return c.query.length === 0 ? c.baseUrl : `${c.baseUrl}?${queryText(c.query)}`
}

function formPairs(c: InteropCase): readonly Param[] | undefined {
  return Array.isArray(c.body) ? (c.body as readonly Param[]) : undefined
}

function jsonBody(c: InteropCase): string | undefined {
  return c.body !== undefined && !Array.isArray(c.body)
    ? (c.body as { json: string }).json
    : undefined
}

/** Pairs as the `{ name: value | values[] }` objects both libraries take, repeats kept in order. */
function toObject(pairs: readonly Param[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null)
  for (const [name, value] of pairs) {
    const seen = out[name]
    if (seen === undefined) out[name] = value
    else if (Array.isArray(seen)) seen.push(value)
    else out[name] = [seen, value]
  }
  return out
}

function credentials(c: InteropCase, method: string) {
  return method.startsWith('RSA-')
    ? { publicKey: RSA.publicKey }
    : { clientSecret: c.consumerSecret, tokenSecret: c.tokenSecret }
}

async function expectVerifies(request: ReceivedRequest, c: InteropCase, method: string) {
  for (const [, registry] of VERIFIERS) {
    expect(await verifyRequest(request, credentials(c, method), registry)).toBe(true)
  }
  // And it is the signature that carries it: a wrong secret or key fails.
  const wrong = method.startsWith('RSA-')
    ? { publicKey: OTHER_PUBLIC_KEY }
    : { clientSecret: `${c.consumerSecret}x`, tokenSecret: c.tokenSecret }
  expect(await verifyRequest(request, wrong)).toBe(false)
}

async function signWithOurs(
  c: InteropCase,
  method: string,
  signatureType: SignatureType,
): Promise<{ signature: string; baseString: string | undefined }> {
  const client = new Client({
    clientKey: c.consumerKey,
    clientSecret: c.consumerSecret,
    resourceOwnerKey: c.token,
    resourceOwnerSecret: c.tokenSecret,
    signatureMethod: method,
    signatureType,
    rsaKey: RSA.privateKey,
    nonce: NONCE,
    timestamp: TIMESTAMP,
  })
  const form = formPairs(c)
  const json = jsonBody(c)
  const signed = await client.sign(urlOf(c), {
    method: c.method,
    body: form !== undefined ? queryText(form) : json,
    headers:
      form !== undefined
        ? { 'Content-Type': FORM }
        : json !== undefined
          ? { 'Content-Type': 'application/json' }
          : {},
  })
  const request = { method: c.method, uri: signed.uri, headers: signed.headers, body: signed.body }
  // Our own server path accepts it too.
  await expectVerifies(request, c, method)
  return { signature: extractSignedRequest(request).signature, baseString: signed.baseString }
}

function placementsFor(c: InteropCase): readonly SignatureType[] {
  return formPairs(c) !== undefined && c.method !== 'GET'
    ? ['AUTH_HEADER', 'QUERY', 'BODY']
    : ['AUTH_HEADER', 'QUERY']
}

// --- oauth-1.0a ----------------------------------------------------------------------------

const HASHES = { SHA1: 'sha1', SHA256: 'sha256', SHA512: 'sha512' } as const
const OAUTH_1_0A_METHODS = [
  'HMAC-SHA1',
  'HMAC-SHA256',
  'HMAC-SHA512',
  'RSA-SHA1',
  'RSA-SHA256',
  'RSA-SHA512',
  'PLAINTEXT',
] as const

function oauth10a(c: InteropCase, method: string): OAuth {
  const [kind, hash] = method.split('-') as [string, keyof typeof HASHES]
  const options: OAuth.Options = {
    consumer: { key: c.consumerKey, secret: c.consumerSecret },
    signature_method: method,
    // Its default body hash is the HMAC hash_function; the body hash extension wants SHA-1.
    body_hash_function: (body) => createHash('sha1').update(body).digest('base64'),
  }
  if (kind === 'HMAC') {
    options.hash_function = (base, key) =>
      createHmac(HASHES[hash], key).update(base).digest('base64')
  } else if (kind === 'RSA') {
    options.hash_function = (base) =>
      nodeSign(HASHES[hash], Buffer.from(base), RSA.privateKey).toString('base64')
  }
  const oauth = new OAuth(options)
  oauth.getNonce = () => NONCE
  oauth.getTimeStamp = () => Number(TIMESTAMP)
  return oauth
}

function oauth10aRequest(c: InteropCase): OAuth.RequestOptions {
  const form = formPairs(c)
  const json = jsonBody(c)
  // authorize() mutates request.data (it merges the query into it): always pass a fresh one.
  if (json !== undefined)
    return { url: urlOf(c), method: c.method, data: json, includeBodyHash: true }
  return { url: urlOf(c), method: c.method, data: form === undefined ? {} : toObject(form) }
}

function oauth10aToken(c: InteropCase): OAuth.Token | undefined {
  return c.token === undefined ? undefined : { key: c.token, secret: c.tokenSecret ?? '' }
}

describe('oauth-1.0a', () => {
  describe.each(OAUTH_1_0A_METHODS.map((m) => [m] as const))('%s', (method) => {
    test.each(CASES.map((c) => [c.name, c] as const))(
      'its requests verify with ours: %s',
      async (_, c) => {
        const oauth = oauth10a(c, method)
        const authorized = oauth.authorize(oauth10aRequest(c), oauth10aToken(c))
        const form = formPairs(c)
        const json = jsonBody(c)
        // Authorization header, the body sent as the `request` library sends a `form`.
        await expectVerifies(
          {
            method: c.method,
            uri: urlOf(c),
            headers: {
              ...oauth.toHeader(authorized),
              ...(form !== undefined ? { 'Content-Type': FORM } : {}),
              ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}),
            },
            body: form !== undefined ? querystring.stringify(toObject(form)) : json,
          },
          c,
          method,
        )
        // Its README's other pattern: `form: oauth.authorize(request, token)`. authorize()
        // returns the query parameters too (it merges them into its result), so with a query
        // they would be sent twice: that pattern only works without a query string.
        if (c.query.length === 0 && json === undefined && c.method !== 'GET') {
          const fresh = oauth.authorize(oauth10aRequest(c), oauth10aToken(c))
          await expectVerifies(
            {
              method: c.method,
              uri: urlOf(c),
              headers: { 'Content-Type': FORM },
              body: querystring.stringify(fresh as unknown as querystring.ParsedUrlQueryInput),
            },
            c,
            method,
          )
        }
      },
    )

    test.each(CASES.map((c) => [c.name, c] as const))('ours verify with it: %s', async (_, c) => {
      const oauth = oauth10a(c, method)
      for (const placement of placementsFor(c)) {
        const ours = await signWithOurs(c, method, placement)
        const request = oauth10aRequest(c)
        const oauthData = {
          oauth_consumer_key: c.consumerKey,
          oauth_nonce: NONCE,
          oauth_signature_method: method,
          oauth_timestamp: Number(TIMESTAMP),
          oauth_version: '1.0',
          ...(c.token === undefined ? {} : { oauth_token: c.token }),
          ...(jsonBody(c) === undefined
            ? {}
            : { oauth_body_hash: oauth.getBodyHash(request, c.tokenSecret) }),
        }
        if (ours.baseString !== undefined) {
          expect(oauth.getBaseString(request, { ...oauthData })).toBe(ours.baseString)
        }
        expect(oauth.authorize(oauth10aRequest(c), oauth10aToken(c)).oauth_signature).toBe(
          ours.signature,
        )
      }
    })
  })

  test('the Twitter documentation example gives the documented signature', async () => {
    const c = CASES[0] as InteropCase
    const documented = 'hCtSmYh+iHYCEqBWrE7C7hYmtUk='
    const oauth = oauth10a(c, 'HMAC-SHA1')
    oauth.getNonce = () => 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg'
    oauth.getTimeStamp = () => 1318622958
    expect(oauth.authorize(oauth10aRequest(c), oauth10aToken(c)).oauth_signature).toBe(documented)
    const client = new Client({
      clientKey: c.consumerKey,
      clientSecret: c.consumerSecret,
      resourceOwnerKey: c.token,
      resourceOwnerSecret: c.tokenSecret,
      nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
      timestamp: '1318622958',
    })
    const signed = await client.sign(urlOf(c), {
      method: 'POST',
      body: 'status=Hello%20Ladies%20%2b%20Gentlemen%2c%20a%20signed%20OAuth%20request%21',
      headers: { 'Content-Type': FORM },
    })
    expect(extractSignedRequest({ method: 'POST', ...signed }).signature).toBe(documented)
  })

  // oauth-1.0a 2.2.6 departs from RFC 5849 §3.4.1 in these ways; the cases above avoid
  // them. Each is checked against oauth-sign as an independent reference (which agrees with
  // us), so if a future version fixes one, this test says the restriction can go.
  interface Quirk {
    readonly url: string
    readonly rfcBaseUrl: string
    readonly query: readonly Param[]
    readonly body?: readonly Param[]
  }
  const QUIRKS: readonly [string, Quirk][] = [
    // deParam() decodes query values but not names, then encodes the names again.
    [
      'percent-encoded query names are encoded twice',
      {
        url: 'https://example.com/?a%20b=1',
        rfcBaseUrl: 'https://example.com/',
        query: [['a b', '1']],
      },
    ],
    // deParam() uses decodeURIComponent, which leaves `+` alone; in a query `+` is a space
    // (RFC 5849 §3.4.1.3.1 parses the query as application/x-www-form-urlencoded).
    [
      '`+` in a query is not read as a space',
      {
        url: 'https://example.com/?q=a+b',
        rfcBaseUrl: 'https://example.com/',
        query: [['q', 'a b']],
      },
    ],
    // deParam() tests `if (data[name])`, so an empty first value is overwritten, not kept.
    [
      'a repeated query name with an empty first value loses it',
      {
        url: 'https://example.com/?a=&a=1',
        rfcBaseUrl: 'https://example.com/',
        query: [
          ['a', ''],
          ['a', '1'],
        ],
      },
    ],
    // mergeObject(data, query): a name in both the body and the query keeps only the query's.
    [
      'a name in both the query and the body keeps one value',
      {
        url: 'https://example.com/?a=1',
        rfcBaseUrl: 'https://example.com/',
        query: [['a', '1']],
        body: [['a', '2']],
      },
    ],
    // The base URL is the URL up to `?`, not normalized (RFC 5849 §3.4.1.2).
    [
      'the host is not lower-cased and the default port not dropped',
      { url: 'HTTPS://Example.COM:443/p', rfcBaseUrl: 'https://example.com/p', query: [] },
    ],
  ]
  test.each(QUIRKS)('known quirk: %s', (_, quirk) => {
    const oauth = oauth10a(CASES[1] as InteropCase, 'HMAC-SHA1')
    const oauthData = {
      oauth_consumer_key: 'ck',
      oauth_nonce: NONCE,
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: Number(TIMESTAMP),
      oauth_version: '1.0',
    }
    const oauthPairs = Object.entries(oauthData).map(([n, v]): Param => [n, String(v)])
    const body = quirk.body ?? []
    const reference = oauthSign.generateBase(
      'POST',
      quirk.rfcBaseUrl,
      toObject([...quirk.query, ...oauthPairs, ...body]),
    )
    const question = quirk.url.indexOf('?')
    const ours = signatureBaseString(
      'POST',
      baseStringUri(question === -1 ? quirk.url : quirk.url.slice(0, question)),
      normalizeParameters(
        collectParameters({
          uriQuery: question === -1 ? undefined : quirk.url.slice(question + 1),
          body: [...oauthPairs, ...body],
        }),
      ),
    )
    expect(ours).toBe(reference)
    const theirs = oauth.getBaseString(
      { url: quirk.url, method: 'POST', data: toObject(body) },
      { ...oauthData },
    )
    expect(theirs).not.toBe(reference)
  })

  test('known quirk: authorize() returns the query parameters too', () => {
    // So its README pattern `form: oauth.authorize(request, token)` sends them twice when
    // the URL has a query; the cases above use that pattern only without a query.
    const oauth = oauth10a(CASES[1] as InteropCase, 'HMAC-SHA1')
    const authorized = oauth.authorize({
      url: 'https://example.com/?q=1',
      method: 'POST',
      data: {},
    })
    expect(authorized).toHaveProperty('q', '1')
  })
})

// --- oauth-sign ----------------------------------------------------------------------------

const OAUTH_SIGN_METHODS = ['HMAC-SHA1', 'HMAC-SHA256', 'RSA-SHA1', 'PLAINTEXT'] as const
type OauthSignMethod = (typeof OAUTH_SIGN_METHODS)[number]

function oauthParams(c: InteropCase, method: string, nonce: string): Param[] {
  const out: Param[] = [
    ['oauth_consumer_key', c.consumerKey],
    ['oauth_nonce', nonce],
    ['oauth_signature_method', method],
    ['oauth_timestamp', TIMESTAMP],
    ['oauth_version', '1.0'],
  ]
  if (c.token !== undefined) out.push(['oauth_token', c.token])
  return out
}

/**
 * Signs as the `request` library does with oauth-sign (lib/oauth.js): parameters parsed
 * with `querystring`, then the protocol parameters in the header, the query or the body.
 */
function signLikeRequestLibrary(
  c: InteropCase,
  method: OauthSignMethod,
  transport: 'header' | 'query' | 'body',
): ReceivedRequest {
  const oa = Object.fromEntries(oauthParams(c, method, 'dd1f20ba48b94e3c9b4b1a5c2d0e9f77'))
  const form = formPairs(c)
  const formText = form === undefined ? '' : querystring.stringify(toObject(form))
  const queryString = c.query.length === 0 ? '' : querystring.stringify(toObject(c.query))
  const params = querystring.parse(
    [queryString, formText, querystring.stringify(oa)].filter((s) => s !== '').join('&'),
  ) as Record<string, string | string[]>
  const secretOrKey = method === 'RSA-SHA1' ? RSA.privateKey : c.consumerSecret
  const signature = oauthSign.sign(method, c.method, c.baseUrl, params, secretOrKey, c.tokenSecret)
  const names = Object.keys(oa).sort()
  const concat = (sep: string, wrap: string) =>
    [
      ...names.map((n) => `${n}=${wrap}${rfc3986(oa[n] as string)}${wrap}`),
      `oauth_signature=${wrap}${rfc3986(signature)}${wrap}`,
    ].join(sep)
  const uri = queryString === '' ? c.baseUrl : `${c.baseUrl}?${queryString}`
  const headers: Record<string, string> = form === undefined ? {} : { 'content-type': FORM }
  if (transport === 'header') {
    return {
      method: c.method,
      uri,
      headers: { ...headers, authorization: `OAuth ${concat(',', '"')}` },
      body: formText || undefined,
    }
  }
  if (transport === 'query') {
    return {
      method: c.method,
      uri: `${uri}${queryString === '' ? '?' : '&'}${concat('&', '')}`,
      headers,
      body: formText || undefined,
    }
  }
  return {
    method: c.method,
    uri,
    headers: { 'content-type': FORM },
    body: `${formText === '' ? '' : `${formText}&`}${concat('&', '')}`,
  }
}

/** oauth-sign takes no body hash: only form or empty bodies. */
const OAUTH_SIGN_CASES = CASES.filter((c) => jsonBody(c) === undefined)

describe('oauth-sign', () => {
  describe.each(OAUTH_SIGN_METHODS.map((m) => [m] as const))('%s', (method) => {
    test.each(OAUTH_SIGN_CASES.map((c) => [c.name, c] as const))(
      'its requests verify with ours: %s',
      async (_, c) => {
        const transports =
          c.method === 'GET'
            ? (['header', 'query'] as const)
            : (['header', 'query', 'body'] as const)
        for (const transport of transports) {
          await expectVerifies(signLikeRequestLibrary(c, method, transport), c, method)
        }
      },
    )

    test.each(OAUTH_SIGN_CASES.map((c) => [c.name, c] as const))(
      'ours verify with it: %s',
      async (_, c) => {
        const params = toObject([
          ...c.query,
          ...oauthParams(c, method, NONCE),
          ...(formPairs(c) ?? []),
        ])
        for (const placement of placementsFor(c)) {
          const ours = await signWithOurs(c, method, placement)
          if (ours.baseString !== undefined) {
            expect(oauthSign.generateBase(c.method, c.baseUrl, params)).toBe(ours.baseString)
          }
          const secretOrKey = method === 'RSA-SHA1' ? RSA.privateKey : c.consumerSecret
          expect(
            oauthSign.sign(method, c.method, c.baseUrl, params, secretOrKey, c.tokenSecret),
          ).toBe(ours.signature)
        }
      },
    )
  })
})

// --- arbitrary requests --------------------------------------------------------------------

const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 10 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.string({
    unit: fc.constantFrom(' ', '+', '%', '/', '~', '&', '=', '*', "'", 'é', '😀'),
    maxLength: 6,
  }),
)
const anyName = fc.oneof(fc.constantFrom('a', 'b', 'a b'), text)

function arbitraryCase(queryName: fc.Arbitrary<string>, bodyName: fc.Arbitrary<string>) {
  return fc.record({
    name: fc.constant('arbitrary'),
    method: fc.constantFrom('POST', 'PUT', 'PATCH'),
    baseUrl: fc
      .array(text.map(rfc3986), { maxLength: 3 })
      .map((s) => `https://example.com/${s.join('/')}`),
    query: fc.array(fc.tuple(queryName, text), { maxLength: 5 }),
    body: fc.array(fc.tuple(bodyName, text), { maxLength: 5 }),
    consumerKey: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }),
    consumerSecret: text,
    token: text,
    tokenSecret: text,
  })
}

describe('arbitrary requests', () => {
  test.each(OAUTH_SIGN_METHODS.map((m) => [m] as const))(
    'oauth-sign and ours agree on %s',
    async (method) => {
      await fc.assert(
        fc.asyncProperty(arbitraryCase(anyName, anyName), async (c) => {
          const ours = await signWithOurs(c, method, 'AUTH_HEADER')
          const params = toObject([...c.query, ...oauthParams(c, method, NONCE), ...c.body])
          const secretOrKey = method === 'RSA-SHA1' ? RSA.privateKey : c.consumerSecret
          expect(
            oauthSign.sign(method, c.method, c.baseUrl, params, secretOrKey, c.tokenSecret),
          ).toBe(ours.signature)
          await expectVerifies(signLikeRequestLibrary(c, method, 'header'), c, method)
        }),
        { numRuns: method === 'RSA-SHA1' ? 20 : 100 },
      )
    },
  )

  // Restricted to what oauth-1.0a gets right (see the known quirks above): plain query
  // names (not ones Object.prototype has), no empty first value of a repeated query name,
  // no name both in the query and the body.
  const plainName = fc.constantFrom('a', 'b', 'count', 'x_y', 'A-1', '~t.')
  const oauth10aCase = arbitraryCase(plainName, anyName).filter(
    (c) =>
      c.query.every(
        ([n, v], i) =>
          v !== '' ||
          c.query.findIndex((p) => p[0] === n) !== i ||
          c.query.filter((p) => p[0] === n).length === 1,
      ) && c.body.every(([n]) => n !== '__proto__' && !c.query.some((p) => p[0] === n)),
  )
  test.each(OAUTH_1_0A_METHODS.map((m) => [m] as const))(
    'oauth-1.0a and ours agree on %s',
    async (method) => {
      await fc.assert(
        fc.asyncProperty(oauth10aCase, async (c) => {
          const ours = await signWithOurs(c, method, 'AUTH_HEADER')
          const oauth = oauth10a(c, method)
          const authorized = oauth.authorize(oauth10aRequest(c), oauth10aToken(c))
          expect(authorized.oauth_signature).toBe(ours.signature)
        }),
        { numRuns: method.startsWith('RSA-') ? 20 : 100 },
      )
    },
  )
})
