import { createHash, generateKeyPairSync } from 'node:crypto'
import {
  baseStringUri,
  Client,
  collectParameters,
  escape,
  formatAuthorizationHeader,
  formatForm,
  normalizeParameters,
  OAuth1Error,
  type Param,
  ParameterRejectedError,
  parseAuthorizationHeader,
  parseForm,
  SIGNATURE_METHODS,
  SignatureMethodRegistry,
  type SignatureType,
  signatureBaseString,
  unescape,
} from '@x/oauth1-core'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { backend as nodeBackend } from '../src/crypto/node.ts'
import type { CryptoBackend } from '../src/crypto/types.ts'
import { backend as webBackend } from '../src/crypto/web.ts'
import { createSignatureFunctions } from '../src/signature/methods.ts'
import { createBuiltinSignatureMethods } from '../src/signature/registry.ts'
import {
  type ExtractedRequest,
  extractSignedRequest,
  type ReceivedRequest,
  verifyExtracted,
  verifyRequest,
} from './helpers/verify.ts'

// --- fixtures ------------------------------------------------------------------------------

function rsaPair(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  })
}
const RSA = rsaPair()
const OTHER_RSA = rsaPair()

const BACKENDS: readonly CryptoBackend[] = [nodeBackend, webBackend]
const registries = new Map(
  BACKENDS.map((b) => [
    b.name,
    new SignatureMethodRegistry(createBuiltinSignatureMethods(createSignatureFunctions(b))),
  ]),
)
function registryOf(name: CryptoBackend['name']): SignatureMethodRegistry {
  return registries.get(name) as SignatureMethodRegistry
}

const PLACEMENTS: readonly SignatureType[] = ['AUTH_HEADER', 'QUERY', 'BODY']
const FORM = 'application/x-www-form-urlencoded'

// --- arbitraries ---------------------------------------------------------------------------

// Characters that matter to OAuth encoding, mixed into otherwise arbitrary text.
const special = fc.constantFrom(
  ' ',
  '+',
  '%',
  '%20',
  '&',
  '=',
  '/',
  '?',
  '#',
  '~',
  '*',
  "'",
  '"',
  '\\',
  ',',
  ';',
  '\u0000',
  '\n',
  'é',
  'ß',
  '\u00a0',
  '中',
  '😀',
  '👩‍👩‍👧',
)
/** Well-formed Unicode text (lone surrogates are rejected by design, tested separately). */
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: special, maxLength: 6 }),
)
const nonEmptyText = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
  fc.string({ unit: special, minLength: 1, maxLength: 6 }),
)
// A small pool of names makes repeated names common; protocol names are left to the client.
const paramName = fc
  .oneof(fc.constantFrom('a', 'a b', 'A', '', 'x+y', 'ñ'), text)
  .filter((name) => !name.startsWith('oauth_'))
const paramValue = fc.oneof(fc.constant(''), fc.constantFrom('1', '1 2', '+'), text)
const params = fc.array(fc.tuple(paramName, paramValue), { maxLength: 6 })

const baseUri = fc
  .record({
    scheme: fc.constantFrom('http', 'https', 'HTTPS'),
    host: fc.constantFrom('example.com', 'Photos.Example.NET', '127.0.0.1', '[::1]'),
    port: fc.constantFrom('', ':80', ':443', ':8080'),
    segments: fc.array(text.map(escape), { maxLength: 4 }),
  })
  .map(({ scheme, host, port, segments }) => `${scheme}://${host}${port}/${segments.join('/')}`)

/** Query text as a client may write it: `+` or `%20` for a space. */
function formatQuery(pairs: readonly Param[], spaceAsPercent: boolean): string {
  const out = formatForm(pairs)
  return spaceAsPercent ? out.replace(/\+/g, '%20') : out
}

interface Case {
  clientKey: string
  clientSecret: string | undefined
  token: string | undefined
  tokenSecret: string | undefined
  callbackUri: string | undefined
  verifier: string | undefined
  realm: string | undefined
  method: string
  uri: string
  query: Param[] | undefined
  spaceAsPercent: boolean
  body: Param[] | undefined
  fragment: string
}

function caseArbitrary(placement: SignatureType): fc.Arbitrary<Case> {
  const bodyMethod = fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE', 'post')
  const anyMethod = fc.constantFrom('GET', 'HEAD', 'get', 'POST', 'DELETE', 'OPTIONS')
  return fc
    .record({
      clientKey: nonEmptyText,
      clientSecret: fc.option(text, { nil: undefined }),
      token: fc.option(text, { nil: undefined }),
      tokenSecret: fc.option(text, { nil: undefined }),
      callbackUri: fc.option(text, { nil: undefined }),
      verifier: fc.option(text, { nil: undefined }),
      realm: fc.option(fc.string({ unit: 'grapheme', maxLength: 10 }), { nil: undefined }),
      method: placement === 'BODY' ? bodyMethod : anyMethod,
      uri: baseUri,
      query: fc.option(params, { nil: undefined }),
      spaceAsPercent: fc.boolean(),
      body: placement === 'BODY' ? params : fc.option(params, { nil: undefined }),
      fragment: fc.constantFrom('', '#', '#frag'),
    })
    .map((c) =>
      // GET and HEAD carry no body (the client refuses one, as oauthlib does).
      c.method.toUpperCase() === 'GET' || c.method.toUpperCase() === 'HEAD'
        ? { ...c, body: undefined }
        : c,
    )
}

// --- signing and tampering -----------------------------------------------------------------

async function signCase(
  c: Case,
  signatureMethod: string,
  placement: SignatureType,
  registry: SignatureMethodRegistry,
): Promise<ReceivedRequest> {
  const client = new Client({
    clientKey: c.clientKey,
    clientSecret: c.clientSecret,
    resourceOwnerKey: c.token,
    resourceOwnerSecret: c.tokenSecret,
    callbackUri: c.callbackUri,
    verifier: c.verifier,
    realm: c.realm,
    signatureMethod,
    signatureType: placement,
    rsaKey: RSA.privateKey,
    signatureMethods: registry,
  })
  const query = c.query === undefined ? '' : `?${formatQuery(c.query, c.spaceAsPercent)}`
  const uri = `${c.uri}${query}${c.fragment}`
  const body = c.body === undefined ? undefined : formatForm(c.body)
  const signed = await client.sign(uri, {
    method: c.method,
    body,
    headers: body === undefined ? {} : { 'Content-Type': FORM },
  })
  return { method: c.method, uri: signed.uri, headers: signed.headers, body: signed.body }
}

/** A value that differs from `value`. */
function changed(value: string): string {
  return `${value}x`
}

function withParamChanged(e: ExtractedRequest, index: number): ExtractedRequest {
  const i = index % e.params.length
  const params = e.params.map((p, k): Param => (k === i ? [p[0], changed(p[1])] : p))
  return { ...e, params }
}

function withPathChanged(request: ReceivedRequest): ReceivedRequest {
  const schemeEnd = request.uri.indexOf('://') + 3
  const pathStart = request.uri.indexOf('/', schemeEnd)
  const rest = request.uri.slice(pathStart)
  const pathEnd = rest.search(/[?#]/)
  const at = pathStart + (pathEnd === -1 ? rest.length : pathEnd)
  return { ...request, uri: `${request.uri.slice(0, at)}x${request.uri.slice(at)}` }
}

function otherMethod(method: string): string {
  return method.toUpperCase() === 'POST' ? 'PUT' : 'POST'
}

// --- sign then verify ----------------------------------------------------------------------

describe.each(BACKENDS.map((b) => [b.name] as const))('sign then verify (%s backend)', (name) => {
  const signer = registryOf(name)
  describe.each(SIGNATURE_METHODS.map((m) => [m] as const))('%s', (signatureMethod) => {
    const isRsa = signatureMethod.startsWith('RSA-')
    // PLAINTEXT signs nothing but the secrets (RFC 5849 §3.4.4): tampering with the request
    // cannot show up in its signature, only a wrong secret can.
    const coversRequest = signatureMethod !== 'PLAINTEXT'
    test.each(PLACEMENTS.map((p) => [p] as const))('%s', async (placement) => {
      await fc.assert(
        fc.asyncProperty(caseArbitrary(placement), fc.nat(), async (c, pick) => {
          const request = await signCase(c, signatureMethod, placement, signer)
          const credentials = isRsa
            ? { publicKey: RSA.publicKey }
            : { clientSecret: c.clientSecret, tokenSecret: c.tokenSecret }
          // The server may run on either backend.
          for (const verifier of BACKENDS.map((b) => registryOf(b.name))) {
            expect(await verifyRequest(request, credentials, verifier)).toBe(true)
          }

          const extracted = extractSignedRequest(request)
          // Every parameter arrives decoded exactly as the caller gave it, in order.
          expect(extracted.params.filter((p) => !p[0].startsWith('oauth_'))).toEqual([
            ...(c.query ?? []),
            ...(c.body ?? []),
          ])
          const oauth = new Map(extracted.params.filter((p) => p[0].startsWith('oauth_')))
          expect(oauth.get('oauth_consumer_key')).toBe(c.clientKey)
          expect(oauth.get('oauth_token')).toBe(c.token)
          expect(oauth.get('oauth_callback')).toBe(c.callbackUri)
          expect(oauth.get('oauth_verifier')).toBe(c.verifier)
          expect(extracted.signatureMethod).toBe(signatureMethod)

          if (isRsa) {
            expect(await verifyRequest(request, { publicKey: OTHER_RSA.publicKey }, signer)).toBe(
              false,
            )
          } else {
            const wrongClient = { ...credentials, clientSecret: changed(c.clientSecret ?? '') }
            const wrongToken = { ...credentials, tokenSecret: changed(c.tokenSecret ?? '') }
            expect(await verifyRequest(request, wrongClient, signer)).toBe(false)
            expect(await verifyRequest(request, wrongToken, signer)).toBe(false)
          }
          if (coversRequest) {
            const tampered = withParamChanged(extracted, pick)
            expect(await verifyExtracted(tampered, credentials, signer)).toBe(false)
            const otherVerb = { ...request, method: otherMethod(request.method) }
            expect(await verifyRequest(otherVerb, credentials, signer)).toBe(false)
            expect(await verifyRequest(withPathChanged(request), credentials, signer)).toBe(false)
          }
        }),
        { numRuns: isRsa ? 30 : 200 },
      )
    })
  })
})

// --- non-form bodies -----------------------------------------------------------------------

describe('non-form bodies', () => {
  const contentType = fc.constantFrom(
    'application/json',
    'text/plain; charset=utf-8',
    'application/xml',
    'application/octet-stream',
  )
  const body = fc.oneof(
    fc.json(),
    text,
    fc.constantFrom('', 'hello', 'a=1&b=2', '{"a":1}', '<x>1</x>', '12345'),
  )

  // The client follows oauthlib: a body that decodes as form data under a non-form
  // Content-Type is refused (naming that Content-Type); any other body is covered by
  // oauth_body_hash, the base64 SHA-1 of its UTF-8 bytes.
  test.each(
    SIGNATURE_METHODS.filter((m) => m !== 'PLAINTEXT').flatMap((m) =>
      (['AUTH_HEADER', 'QUERY'] as const).map((p) => [m, p] as const),
    ),
  )('%s, %s: signed with oauth_body_hash, or refused', async (signatureMethod, placement) => {
    const credentials = signatureMethod.startsWith('RSA-')
      ? { publicKey: RSA.publicKey }
      : { clientSecret: 'cs', tokenSecret: 'ts' }
    let signedCount = 0
    let refusedCount = 0
    await fc.assert(
      fc.asyncProperty(body, contentType, async (b, type) => {
        const client = new Client({
          clientKey: 'ck',
          clientSecret: 'cs',
          resourceOwnerKey: 'tk',
          resourceOwnerSecret: 'ts',
          signatureMethod,
          signatureType: placement,
          rsaKey: RSA.privateKey,
        })
        const headers = { 'Content-Type': type }
        let signed: Awaited<ReturnType<Client['sign']>>
        try {
          signed = await client.sign('https://example.com/r?x=1', {
            method: 'POST',
            body: b,
            headers,
          })
        } catch (err) {
          expect(err).toBeInstanceOf(TypeError)
          expect((err as Error).message).toBe(
            `Body contains parameters but Content-Type header was ${type} instead of ${FORM}`,
          )
          expect(() => parseForm(b)).not.toThrow()
          refusedCount++
          return
        }
        signedCount++
        const request = { method: 'POST', uri: signed.uri, headers: signed.headers, body: b }
        const hash = createHash('sha1').update(b, 'utf8').digest('base64')
        const expected = b === '' ? [] : [['oauth_body_hash', hash]]
        expect(
          extractSignedRequest(request).params.filter((p) => p[0] === 'oauth_body_hash'),
        ).toEqual(expected)
        expect(await verifyRequest(request, credentials)).toBe(true)
        if (b !== '') {
          expect(await verifyRequest({ ...request, body: `${b} ` }, credentials)).toBe(false)
        }
      }),
      { numRuns: signatureMethod.startsWith('RSA-') ? 30 : 100 },
    )
    expect(signedCount).toBeGreaterThan(0)
    expect(refusedCount).toBeGreaterThan(0)
  })
})

// --- identities ----------------------------------------------------------------------------

describe('round-trip identities', () => {
  test('formatAuthorizationHeader then parseAuthorizationHeader is the identity', () => {
    const oauthParams = fc.uniqueArray(
      fc.tuple(
        text.map((n) => `oauth_${n}`),
        text,
      ),
      { selector: (p) => p[0], maxLength: 8 },
    )
    const realm = fc.option(
      fc.oneof(
        fc.string({ unit: 'grapheme-ascii', maxLength: 20 }),
        fc.string({ unit: fc.constantFrom('"', '\\', ',', '=', ' ', 'a'), maxLength: 8 }),
        fc.string({ unit: 'grapheme', maxLength: 10 }),
      ),
      { nil: undefined },
    )
    fc.assert(
      fc.property(oauthParams, realm, (pairs, r) => {
        fc.pre(pairs.length > 0 || r !== undefined)
        const header = formatAuthorizationHeader(pairs, r)
        expect(parseAuthorizationHeader(header)).toEqual({ realm: r, params: pairs })
      }),
      { numRuns: 500 },
    )
  })

  test('an empty realm survives the round trip', () => {
    expect(parseAuthorizationHeader(formatAuthorizationHeader([], ''))).toEqual({
      realm: '',
      params: [],
    })
  })

  test('a header with nothing in it is rejected', () => {
    expect(() => parseAuthorizationHeader(formatAuthorizationHeader([]))).toThrow(
      ParameterRejectedError,
    )
  })

  test('formatForm then parseForm is the identity', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { maxLength: 8 }), (pairs) => {
        expect(parseForm(formatForm(pairs))).toEqual(pairs)
      }),
      { numRuns: 500 },
    )
  })

  test('escape then unescape is the identity, and escape yields only unreserved and %XX', () => {
    fc.assert(
      fc.property(text, (value) => {
        const encoded = escape(value)
        expect(encoded).toMatch(/^(?:[A-Za-z0-9\-._~]|%[0-9A-F]{2})*$/)
        expect(unescape(encoded)).toBe(value)
      }),
      { numRuns: 1000 },
    )
  })

  test('unescape decodes exactly what decodeURIComponent decodes, and rejects what it rejects', () => {
    const hex = (byte: number, lower: boolean): string => {
      const h = byte.toString(16).padStart(2, '0')
      return `%${lower ? h : h.toUpperCase()}`
    }
    // Escaped octets of every kind: ASCII, continuation bytes, every lead byte (valid or
    // not), so that truncated, overlong, surrogate and out-of-range sequences all occur.
    const octet = fc
      .tuple(fc.integer({ min: 0, max: 255 }), fc.boolean())
      .map(([b, l]) => hex(b, l))
    // Well-formed UTF-8 of any code point, surrogates included (which must be rejected).
    const encodedPoint = fc
      .tuple(fc.integer({ min: 0, max: 0x10ffff }), fc.boolean())
      .map(([cp, lower]) => {
        const bytes =
          cp < 0x80
            ? [cp]
            : cp < 0x800
              ? [0xc0 | (cp >> 6), 0x80 | (cp & 63)]
              : cp < 0x10000
                ? [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)]
                : [
                    0xf0 | (cp >> 18),
                    0x80 | ((cp >> 12) & 63),
                    0x80 | ((cp >> 6) & 63),
                    0x80 | (cp & 63),
                  ]
        return bytes.map((b) => hex(b, lower)).join('')
      })
    // Overlong forms: a small code point spelled with three or four octets.
    const overlong = fc
      .tuple(fc.integer({ min: 0, max: 0xffff }), fc.boolean())
      .map(([cp, four]) =>
        (four
          ? [0xf0, 0x80 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)]
          : [0xe0 | ((cp >> 12) & 15), 0x80 | ((cp >> 6) & 31), 0x80 | (cp & 63)]
        )
          .map((b) => hex(b, false))
          .join(''),
      )
    const piece = fc.oneof(
      octet,
      encodedPoint,
      overlong,
      fc.string({ unit: 'grapheme', maxLength: 3 }),
      fc.constantFrom('%', '%4', '%G0', '%%', '+', '\ud800'),
    )
    const input = fc.array(piece, { maxLength: 10 }).map((pieces) => pieces.join(''))
    let decoded = 0
    let rejected = 0
    fc.assert(
      fc.property(input, (value) => {
        let expected: string | undefined
        try {
          expected = decodeURIComponent(value)
        } catch {
          expected = undefined
        }
        if (expected === undefined) {
          rejected++
          expect(() => unescape(value)).toThrow(ParameterRejectedError)
        } else {
          decoded++
          expect(unescape(value)).toBe(expected)
        }
      }),
      { numRuns: 5000 },
    )
    // Both outcomes must have been exercised, or the property proves nothing.
    expect(decoded).toBeGreaterThan(500)
    expect(rejected).toBeGreaterThan(500)
  })

  test('unescape agrees with decodeURIComponent on values longer than it decodes itself', () => {
    // Past a length limit, unescape hands a value with escapes to decodeURIComponent; on
    // either side of that limit the answers must be the same.
    const pieces = ['%C3%A9', 'a', '%20', '%E2%82%AC', '%F0%9F%98%80', 'z~', '%3D']
    const bad = ['%C3', '%ED%A0%80', '%E0%80%AF', '%G1', '%']
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pieces), { minLength: 30, maxLength: 120 }),
        fc.option(fc.tuple(fc.constantFrom(...bad), fc.nat()), { nil: undefined }),
        (parts, broken) => {
          if (broken !== undefined) parts.splice(broken[1] % parts.length, 0, broken[0])
          const value = parts.join('')
          let expected: string | undefined
          try {
            expected = decodeURIComponent(value)
          } catch {
            expected = undefined
          }
          if (expected === undefined) expect(() => unescape(value)).toThrow(ParameterRejectedError)
          else expect(unescape(value)).toBe(expected)
        },
      ),
      { numRuns: 500 },
    )
  })

  test('unescape names a bad escape before bad UTF-8', () => {
    expect(() => unescape('%C3')).toThrow('Percent-encoded octets are not valid UTF-8')
    expect(() => unescape('%C3%A9%ED%A0%80')).toThrow('not valid UTF-8')
    expect(() => unescape('%F4%90%80%80')).toThrow('not valid UTF-8')
    expect(() => unescape('%E0%80%AF')).toThrow('not valid UTF-8')
    expect(() => unescape('%C3%2')).toThrow('Invalid percent-encoding')
    expect(() => unescape('%C3x%A9')).toThrow('not valid UTF-8')
    expect(() => unescape('%FF%zz')).toThrow('Invalid percent-encoding')
    expect(unescape('%F0%9F%98%80%e2%82%ac%41')).toBe('\u{1F600}\u20acA')
  })

  test('escape rejects lone surrogates with ParameterRejectedError', () => {
    const lone = fc.constantFrom('\ud800', '\udfff', '\udbff')
    fc.assert(
      fc.property(text, lone, text, (a, s, b) => {
        expect(() => escape(`${a}${s}${b}`)).toThrow(ParameterRejectedError)
      }),
    )
  })
})

// --- parsers never throw anything but OAuth1Error ------------------------------------------

/**
 * Runs parser calls: any exception must be an OAuth1Error with a 4xx status. Counts both
 * outcomes so a test can check that its inputs reached both (it is not vacuous).
 */
function parserRun() {
  const seen = { parsed: 0, rejected: 0 }
  return {
    seen,
    run(fn: () => unknown): void {
      try {
        fn()
        seen.parsed++
      } catch (err) {
        if (!(err instanceof OAuth1Error)) throw err
        expect(err.status).toBeGreaterThanOrEqual(400)
        expect(err.status).toBeLessThan(500)
        seen.rejected++
      }
    },
    expectBothOutcomes(): void {
      expect(seen.parsed).toBeGreaterThan(0)
      expect(seen.rejected).toBeGreaterThan(0)
    },
  }
}

// Lone surrogates are fair game for parsers: they must be handled, not crash.
const anyUnit = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'binary-ascii' }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
  fc.string({
    unit: fc.constantFrom('%', '%2', '%zz', '%C3', '%E2%82', '%FF', '"', '\\', ',', '=', '+'),
  }),
)

type Mutation = { kind: 'insert' | 'delete' | 'replace'; at: number; char: string }
const mutation = fc.record({
  kind: fc.constantFrom('insert', 'delete', 'replace'),
  at: fc.nat(),
  char: fc.oneof(
    fc.constantFrom('"', '\\', ',', '=', '%', ' ', '\t', '\r\n', '\ud800', '&', '+', '?', '#'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
})

function mutate(input: string, mutations: readonly Mutation[]): string {
  let out = input
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % (out.length + 1)
    if (m.kind === 'insert') out = out.slice(0, at) + m.char + out.slice(at)
    else if (m.kind === 'delete') out = out.slice(0, at) + out.slice(at + 1)
    else out = out.slice(0, at) + m.char + out.slice(at + 1)
  }
  return out
}
const mutations = fc.array(mutation, { minLength: 1, maxLength: 4 })

const validHeader = fc
  .tuple(
    fc.array(
      fc.tuple(
        text.map((n) => `oauth_${n}`),
        text,
      ),
      { minLength: 1, maxLength: 4 },
    ),
    fc.option(fc.string({ unit: 'grapheme-ascii', maxLength: 8 }), { nil: undefined }),
  )
  .map(([pairs, realm]) => formatAuthorizationHeader(pairs, realm))
const validQuery = params.map((p) => formatForm(p))
const validUri = fc.tuple(baseUri, validQuery).map(([uri, query]) => `${uri}?${query}`)

describe('parsers throw nothing but OAuth1Error', () => {
  const runs = { numRuns: 1000 }

  test('parseAuthorizationHeader', () => {
    const input = fc.oneof(
      anyUnit,
      anyUnit.map((s) => `OAuth ${s}`),
      fc.tuple(validHeader, mutations).map(([h, m]) => mutate(h, m)),
    )
    const parser = parserRun()
    fc.assert(
      fc.property(input, (value) => parser.run(() => parseAuthorizationHeader(value))),
      runs,
    )
    parser.expectBothOutcomes()
  })

  test('parseForm and unescape', () => {
    const input = fc.oneof(
      anyUnit,
      fc.tuple(validQuery, mutations).map(([q, m]) => mutate(q, m)),
    )
    const form = parserRun()
    const percent = parserRun()
    fc.assert(
      fc.property(input, (value) => {
        form.run(() => parseForm(value))
        percent.run(() => unescape(value))
      }),
      runs,
    )
    form.expectBothOutcomes()
    percent.expectBothOutcomes()
  })

  test('baseStringUri', () => {
    const input = fc.oneof(
      anyUnit,
      anyUnit.map((s) => `http://${s}`),
      fc.tuple(validUri, mutations).map(([u, m]) => mutate(u, m)),
    )
    const host = fc.option(
      fc.oneof(
        anyUnit,
        fc
          .tuple(fc.constantFrom('example.com:8080', '[::1]:443'), mutations)
          .map(([h, m]) => mutate(h, m)),
      ),
      { nil: undefined },
    )
    const parser = parserRun()
    fc.assert(
      fc.property(input, host, (uri, h) => parser.run(() => baseStringUri(uri, h))),
      runs,
    )
    parser.expectBothOutcomes()
  })

  test('collectParameters, and the base string built from what it returns', () => {
    const header = fc.option(
      fc.oneof(
        anyUnit,
        fc.tuple(validHeader, mutations).map(([h, m]) => mutate(h, m)),
        validHeader,
      ),
      { nil: undefined },
    )
    const form = fc.oneof(
      anyUnit,
      validQuery,
      fc.tuple(validQuery, mutations).map(([q, m]) => mutate(q, m)),
    )
    const contentType = fc.constantFrom(undefined, FORM, `${FORM}; charset=utf-8`, 'text/plain')
    const parser = parserRun()
    fc.assert(
      fc.property(
        fc.option(form, { nil: undefined }),
        fc.option(form, { nil: undefined }),
        header,
        contentType,
        (uriQuery, body, authorization, type) => {
          const headers: Record<string, string> = {}
          if (authorization !== undefined) headers.Authorization = authorization
          if (type !== undefined) headers['content-type'] = type
          parser.run(() => {
            const collected = collectParameters({ uriQuery, body, headers })
            signatureBaseString('POST', 'http://example.com/', normalizeParameters(collected))
          })
        },
      ),
      runs,
    )
    parser.expectBothOutcomes()
  })
})

// --- verification of arbitrary signatures --------------------------------------------------

describe.each(BACKENDS.map((b) => [b.name] as const))(
  'arbitrary signatures (%s backend)',
  (name) => {
    const registry = registryOf(name)
    const signature = fc.oneof(
      anyUnit,
      fc.base64String(),
      // Well-formed base64 of exactly the key's modulus length.
      fc
        .uint8Array({ minLength: 256, maxLength: 256 })
        .map((b) => Buffer.from(b).toString('base64')),
      fc.uint8Array({ minLength: 20, maxLength: 64 }).map((b) => Buffer.from(b).toString('base64')),
    )
    const baseString = fc.string({ unit: 'binary', maxLength: 40 })

    test.each(['RSA-SHA1', 'RSA-SHA256', 'RSA-SHA512'].map((m) => [m] as const))(
      '%s verify returns false, never throws',
      async (method) => {
        const rsa = registry.get(method)
        if (rsa === undefined) throw new Error(`missing ${method}`)
        await fc.assert(
          fc.asyncProperty(baseString, signature, async (b, s) => {
            const result = await rsa.verify({
              baseString: b,
              signature: s,
              publicKey: RSA.publicKey,
            })
            expect(result).toBe(false)
          }),
          { numRuns: 100 },
        )
      },
    )

    test.each(['HMAC-SHA1', 'HMAC-SHA256', 'HMAC-SHA512', 'PLAINTEXT'].map((m) => [m] as const))(
      '%s verify returns false',
      async (method) => {
        const hmac = registry.get(method)
        if (hmac === undefined) throw new Error(`missing ${method}`)
        await fc.assert(
          fc.asyncProperty(baseString, signature, text, text, async (b, s, cs, ts) => {
            fc.pre(s !== `${escape(cs)}&${escape(ts)}`)
            const result = await hmac.verify({
              baseString: b,
              signature: s,
              clientSecret: cs,
              tokenSecret: ts,
            })
            expect(result).toBe(false)
          }),
          { numRuns: 300 },
        )
      },
    )
  },
)
