// Every way a request can fail, on every endpoint it applies to: the HTTP status and the
// oauth_problem of the form-encoded body, the 401 challenge, and no secret or base string
// in any error response (Provider.expectError checks all three on every call).
import {
  createOAuthRequest,
  formatForm,
  type NonceStore,
  type OAuthRequest,
  type Param,
  parseAuthorizationHeader,
  type RejectedRequest,
  StoreUnavailableError,
  signHmacSha1,
} from '@x/oauth1-core'
import { describe, expect, test, vi } from 'vitest'
import {
  ACCESS_TOKEN_URL,
  AUTHORIZE_URL,
  dropParam,
  FORM,
  form,
  Provider,
  paramOf,
  RESOURCE_URL,
  randomText,
  rsaKeyPair,
  send,
  setParam,
  signRaw,
  TARGETS,
  type Target,
  validRequest,
} from './support.ts'

const MANDATORY = [
  'oauth_consumer_key',
  'oauth_signature_method',
  'oauth_signature',
  'oauth_nonce',
  'oauth_timestamp',
] as const

const eachTarget = TARGETS.map((t) => [t] as [Target])

function appendQuery(url: string, extra: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${extra}`
}

describe.each(eachTarget)('%s endpoint', (target) => {
  test('a valid request passes (the baseline every negative test breaks)', async () => {
    const p = new Provider()
    const response = await send(p, target, await validRequest(p, target))
    expect(response.status).toBe(200)
  })

  test.each(MANDATORY.map((m) => [m]))('without %s: 400 parameter_absent', async (name) => {
    const p = new Provider()
    const req = dropParam(await validRequest(p, target), name)
    const fields = p.expectError(await send(p, target, req), 400, 'parameter_absent')
    expect(fields.oauth_parameters_absent).toBe(name)
  })

  test.each(MANDATORY.map((m) => [m]))('with an empty %s: 400 parameter_absent', async (name) => {
    const p = new Provider()
    const req = setParam(await validRequest(p, target), name, '')
    const fields = p.expectError(await send(p, target, req), 400, 'parameter_absent')
    expect(fields.oauth_parameters_absent).toBe(name)
  })

  test('without any protocol parameter: 400 parameter_absent', async () => {
    const p = new Provider()
    const req = createOAuthRequest({ method: 'GET', url: RESOURCE_URL })
    const fields = p.expectError(await send(p, target, req), 400, 'parameter_absent')
    expect(fields.oauth_parameters_absent).toContain('oauth_consumer_key')
  })

  test('a parameter twice in the query: 400 parameter_rejected', async () => {
    const p = new Provider()
    const req = await validRequest(p, target, { signatureType: 'QUERY' })
    const dup = { ...req, url: appendQuery(req.url, 'oauth_nonce=again') }
    const fields = p.expectError(await send(p, target, dup), 400, 'parameter_rejected')
    expect(fields.oauth_parameters_rejected).toBe('oauth_nonce')
  })

  test('a parameter twice in the body: 400 parameter_rejected', async () => {
    const p = new Provider()
    const req = await validRequest(p, target, { signatureType: 'BODY', method: 'POST' })
    const dup = { ...req, body: `${req.body}&oauth_timestamp=1` }
    const fields = p.expectError(await send(p, target, dup), 400, 'parameter_rejected')
    expect(fields.oauth_parameters_rejected).toBe('oauth_timestamp')
  })

  test('a parameter twice in the Authorization header: 400 parameter_rejected', async () => {
    const p = new Provider()
    const req = await validRequest(p, target, { realm: 'photos' })
    for (const extra of [', oauth_nonce="again"', ', oauth_signature="AAAA"', ', realm="x"']) {
      const dup = {
        ...req,
        headers: { ...req.headers, authorization: `${req.headers.authorization}${extra}` },
      }
      p.expectError(await send(p, target, dup), 400, 'parameter_rejected')
    }
  })

  test('the same protocol parameter in two places: 400 parameter_rejected', async () => {
    const p = new Provider()
    const req = await validRequest(p, target)
    const nonce = paramOf(req, 'oauth_nonce') as string
    const variants: OAuthRequest[] = [
      { ...req, url: appendQuery(req.url, formatForm([['oauth_nonce', nonce]])) },
      {
        ...req,
        method: 'POST',
        headers: { ...req.headers, 'content-type': FORM },
        body: formatForm([['oauth_nonce', nonce]]),
      },
      // A different protocol parameter in a second place is just as ambiguous.
      { ...req, url: appendQuery(req.url, 'oauth_extra=1') },
    ]
    for (const variant of variants) {
      const fields = p.expectError(await send(p, target, variant), 400, 'parameter_rejected')
      expect(fields.error_description).toContain('one place')
    }
    // Query and body together, without a header.
    const q = await validRequest(p, target, { signatureType: 'QUERY', method: 'POST' })
    const both = { ...q, headers: { 'content-type': FORM }, body: 'oauth_nonce=x' }
    p.expectError(await send(p, target, both), 400, 'parameter_rejected')
  })

  test('an unsupported signature method: 400 signature_method_rejected', async () => {
    const p = new Provider()
    for (const method of ['HMAC-MD5', 'hmac-sha1', 'RSA-SHA384', 'PLAINTEXT ']) {
      const req = setParam(await validRequest(p, target), 'oauth_signature_method', method)
      const fields = p.expectError(await send(p, target, req), 400, 'signature_method_rejected')
      expect(fields.oauth_problem_advice).toContain('HMAC-SHA1')
    }
  })

  test('a method the provider does not allow: 400 signature_method_rejected', async () => {
    const p = new Provider({
      policy: { allowedSignatureMethods: ['HMAC-SHA256'] },
      signatureMethod: 'HMAC-SHA256',
    })
    const req = await validRequest(p, target, { signatureMethod: 'HMAC-SHA1' })
    const fields = p.expectError(await send(p, target, req), 400, 'signature_method_rejected')
    expect(fields.oauth_problem_advice).toBe('accepted: HMAC-SHA256')
  })

  test('oauth_version 2.0: 400 version_rejected', async () => {
    const p = new Provider()
    const req = setParam(await validRequest(p, target), 'oauth_version', '2.0')
    p.expectError(await send(p, target, req), 400, 'version_rejected')
  })

  test.each([['12a4'], ['-1'], ['1e9'], ['0x10'], ['1700000000.5'], [' 1700000000'], ['１２３']])(
    'timestamp %j: 400 parameter_rejected',
    async (timestamp) => {
      const p = new Provider()
      const req = await validRequest(p, target, { timestamp })
      const fields = p.expectError(await send(p, target, req), 400, 'parameter_rejected')
      expect(fields.oauth_parameters_rejected).toBe('oauth_timestamp')
    },
  )

  test.each([
    ['past', -601],
    ['future', 601],
    ['far future', 1e12],
  ])('a timestamp in the %s: 400 timestamp_refused', async (_, skew) => {
    const p = new Provider()
    const timestamp = String(p.clock.seconds + skew)
    const req = await validRequest(p, target, { timestamp })
    const fields = p.expectError(await send(p, target, req), 400, 'timestamp_refused')
    const now = p.clock.seconds
    expect(fields.oauth_acceptable_timestamps).toBe(`${now - 600}-${now + 600}`)
  })

  test('timestamps exactly at the edges of the window are accepted', async () => {
    for (const skew of [-600, 600]) {
      const p = new Provider()
      const req = await validRequest(p, target, { timestamp: String(p.clock.seconds + skew) })
      expect((await send(p, target, req)).status).toBe(200)
    }
  })

  test('a replayed request: 401 nonce_used', async () => {
    const p = new Provider()
    const req = await validRequest(p, target)
    expect((await send(p, target, req)).status).toBe(200)
    p.expectError(await send(p, target, req), 401, 'nonce_used')
  })

  test('an unknown client: 401 consumer_key_unknown', async () => {
    const p = new Provider()
    const req = await validRequest(p, target, {
      clientKey: 'nobody-key',
      clientSecret: 'nobody-secret',
    })
    p.expectError(await send(p, target, req), 401, 'consumer_key_unknown')
  })

  test('a disabled client: 401 consumer_key_unknown', async () => {
    const p = new Provider()
    const req = await validRequest(p, target)
    const record = p.store.getClient(p.alice.clientKey)
    p.store.saveClient({ ...record, clientKey: p.alice.clientKey, disabled: true })
    p.expectError(await send(p, target, req), 401, 'consumer_key_unknown')
  })

  test('a wrong client secret: 401 signature_invalid', async () => {
    const p = new Provider()
    const req = await validRequest(p, target, { clientSecret: `${p.alice.clientSecret}x` })
    p.expectError(await send(p, target, req), 401, 'signature_invalid')
  })

  test('a tampered query, a tampered method, an unparsable signature: 401 signature_invalid', async () => {
    const p = new Provider()
    const tampered: OAuthRequest[] = []
    const a = await validRequest(p, target)
    tampered.push({ ...a, url: appendQuery(a.url, 'size=small') })
    const b = await validRequest(p, target)
    tampered.push({ ...b, method: b.method === 'GET' ? 'DELETE' : 'PUT' })
    const c = await validRequest(p, target)
    tampered.push({ ...c, url: c.url.replace('https://', 'https://www.') })
    tampered.push(setParam(await validRequest(p, target), 'oauth_signature', '!!not base64!!'))
    tampered.push(setParam(await validRequest(p, target), 'oauth_signature', 'AAAA'))
    for (const req of tampered) {
      p.expectError(await send(p, target, req), 401, 'signature_invalid')
    }
  })

  test('http instead of https: 400 insecure_transport', async () => {
    const p = new Provider()
    const req = await validRequest(p, target)
    const http = { ...req, url: req.url.replace('https://', 'http://') }
    p.expectError(await send(p, target, http), 400, 'insecure_transport')
  })

  test('an Authorization header over 8 KiB: 400 request_too_large; 8 KiB exactly passes', async () => {
    const p = new Provider()
    // Padded with spaces in the realm: not signed, and still the realm "photos".
    const padded = async (length: number): Promise<OAuthRequest> => {
      const req = await validRequest(p, target, { realm: 'photos' })
      const auth = req.headers.authorization as string
      const pad = ' '.repeat(length - auth.length)
      const authorization = auth.replace('realm="photos"', `realm="photos${pad}"`)
      expect(authorization).toHaveLength(length)
      return { ...req, headers: { ...req.headers, authorization } }
    }
    expect((await send(p, target, await padded(8192))).status).toBe(200)
    const over = await padded(8193)
    p.expectError(await send(p, target, over), 400, 'request_too_large')
  })

  test('a body over 1 MiB: 413 request_too_large', async () => {
    const p = new Provider()
    const req = await validRequest(p, target, { method: 'POST', body: 'a=1' })
    const big = { ...req, body: `a=${'x'.repeat(1024 * 1024)}` }
    p.expectError(await send(p, target, big), 413, 'request_too_large')
    // Counted in UTF-8 bytes, not characters: 524,289 two-byte characters.
    const wide = {
      ...req,
      headers: { ...req.headers, 'content-type': 'application/json' },
      body: 'é'.repeat(512 * 1024 + 1),
    }
    p.expectError(await send(p, target, wide), 413, 'request_too_large')
  })

  test('more than 100 parameters: 400; exactly 100 pass', async () => {
    const p = new Provider()
    const probe = await validRequest(p, target)
    const oauthCount = parseAuthorizationHeader(probe.headers.authorization as string).params.length
    const queryCount = (new URL(probe.url).search.match(/[?&]/g) ?? []).length
    const fill = (n: number): string =>
      formatForm(Array.from({ length: n }, (_, i) => [`p${i}`, String(i)] as Param))
    const room = 100 - oauthCount - queryCount
    const url = (n: number): string => appendQuery(probe.url.split('?')[0] as string, fill(n))
    const extraQuery = queryCount > 0 ? `&${new URL(probe.url).search.slice(1)}` : ''
    const exact = await validRequest(p, target, { url: `${url(room)}${extraQuery}` })
    expect((await send(p, target, exact)).status).toBe(200)
    const over = await validRequest(p, target, { url: `${url(room + 1)}${extraQuery}` })
    const fields = p.expectError(await send(p, target, over), 400, 'parameter_rejected')
    expect(fields.error_description).toContain('100 parameters')
  })

  test('a form body of half a million parameters: 400, refused after the first 100', async () => {
    const p = new Provider()
    const req = await validRequest(p, target, { method: 'POST', body: 'a=1' })
    // 1,000,000 bytes: under the body limit, five thousand times the parameter limit.
    const flood = { ...req, body: 'a&'.repeat(500_000) }
    // Parsing stops at the 101st parameter: a few hundred searches, not a million.
    const indexOf = String.prototype.indexOf
    let calls = 0
    vi.spyOn(String.prototype, 'indexOf').mockImplementation(function (
      this: string,
      search: string,
      position?: number,
    ) {
      calls++
      return indexOf.call(this, search, position)
    })
    let response: Awaited<ReturnType<typeof send>>
    try {
      response = await send(p, target, flood)
    } finally {
      vi.restoreAllMocks()
    }
    const fields = p.expectError(response, 400, 'parameter_rejected')
    expect(fields.error_description).toContain('100 parameters')
    expect(calls).toBeLessThan(5000)
  })

  test('a non-OAuth or malformed Authorization header: 400 parameter_rejected', async () => {
    const p = new Provider()
    // Protocol parameters in the query, and a Basic header beside them.
    const q = await validRequest(p, target, {
      signatureType: 'QUERY',
      headers: { Authorization: 'Basic YWxhZGRpbjpvcGVuc2VzYW1l' },
    })
    expect(q.headers.authorization).toMatch(/^Basic /)
    p.expectError(await send(p, target, q), 400, 'parameter_rejected')

    const req = await validRequest(p, target)
    const auth = req.headers.authorization as string
    for (const value of [
      'Bearer abc.def',
      'OAuth',
      'OAuth ',
      'OAuthx oauth_nonce="1"',
      auth.replace('OAuth ', ''),
      `${auth}, oauth_x`,
      `${auth}, oauth_x="unterminated`,
      `${auth} garbage`,
      auth.replace(/", /g, '" '),
    ]) {
      const bad = { ...req, headers: { ...req.headers, authorization: value } }
      p.expectError(await send(p, target, bad), 400, 'parameter_rejected')
    }
  })

  test('invalid percent-encoding anywhere: 400 parameter_rejected', async () => {
    const p = new Provider()
    const req = await validRequest(p, target)
    const auth = req.headers.authorization as string
    const bad: OAuthRequest[] = [
      { ...req, url: appendQuery(req.url, 'q=%zz') },
      { ...req, url: appendQuery(req.url, 'q=%E9') },
      { ...req, url: appendQuery(req.url, 'q=100%') },
      { ...req, url: appendQuery(req.url, 'q=a b') },
      { ...req, headers: { ...req.headers, 'content-type': FORM }, body: 'title=%G1' },
      { ...req, headers: { ...req.headers, 'content-type': FORM }, body: 'title=%C3%28' },
      {
        ...req,
        headers: {
          ...req.headers,
          authorization: auth.replace(/oauth_nonce="[^"]*"/, 'oauth_nonce="%G1"'),
        },
      },
      {
        ...req,
        headers: { ...req.headers, authorization: auth.replace('oauth_nonce=', 'oauth_%ZZnonce=') },
      },
    ]
    for (const r of bad) p.expectError(await send(p, target, r), 400, 'parameter_rejected')
  })

  test('identifiers outside the format rule: 400 parameter_rejected', async () => {
    const p = new Provider()
    const longKey = await validRequest(p, target, {
      clientKey: 'k'.repeat(256),
      clientSecret: 'whatever',
    })
    const fields = p.expectError(await send(p, target, longKey), 400, 'parameter_rejected')
    expect(fields.oauth_parameters_rejected).toBe('oauth_consumer_key')
    const longNonce = await validRequest(p, target, { nonce: 'n'.repeat(256) })
    const nonceFields = p.expectError(await send(p, target, longNonce), 400, 'parameter_rejected')
    expect(nonceFields.oauth_parameters_rejected).toBe('oauth_nonce')
    const spaced = await validRequest(p, target, { nonce: 'has space' })
    p.expectError(await send(p, target, spaced), 400, 'parameter_rejected')
  })

  /** A nonce store that works until `failure` is set, then throws it. */
  function switchableNonces(): { provider: Provider; fail: (error: Error) => void } {
    let failure: Error | undefined
    const nonces: NonceStore = {
      claimNonce(key, ttl) {
        if (failure !== undefined) throw failure
        return provider.store.claimNonce(key, ttl)
      },
    }
    const provider = new Provider({ policy: { nonces } })
    return { provider, fail: (error) => (failure = error) }
  }

  test('a store outage fails closed: 503 with Retry-After', async () => {
    const { provider: p, fail } = switchableNonces()
    const req = await validRequest(p, target)
    fail(new StoreUnavailableError('nonce store down', { retryAfter: 7 }))
    const response = await send(p, target, req)
    const fields = p.expectError(response, 503, 'temporarily_unavailable')
    expect(response.headers['Retry-After']).toBe('7')
    expect(fields.error).toBe('temporarily_unavailable')
  })

  test('any other store exception propagates unchanged', async () => {
    const bug = new RangeError('a bug in a custom store')
    const { provider: p, fail } = switchableNonces()
    const req = await validRequest(p, target)
    fail(bug)
    await expect(send(p, target, req)).rejects.toBe(bug)
  })
})

describe('request-token endpoint', () => {
  test('without oauth_callback: 400 parameter_absent', async () => {
    const p = new Provider()
    const req = dropParam(await validRequest(p, 'request-token'), 'oauth_callback')
    const fields = p.expectError(await send(p, 'request-token', req), 400, 'parameter_absent')
    expect(fields.oauth_parameters_absent).toBe('oauth_callback')
  })

  test('a relative or non-http callback: 400 parameter_rejected', async () => {
    const p = new Provider()
    for (const callback of ['/callback', 'javascript:alert(1)', 'ftp://x.example/cb']) {
      const req = await validRequest(p, 'request-token', { callback })
      const fields = p.expectError(await send(p, 'request-token', req), 400, 'parameter_rejected')
      expect(fields.oauth_parameters_rejected).toBe('oauth_callback')
    }
  })

  test('a realm the provider does not have: 400 parameter_rejected', async () => {
    const p = new Provider()
    const req = await validRequest(p, 'request-token', { realm: 'photos secrets' })
    const fields = p.expectError(await send(p, 'request-token', req), 400, 'parameter_rejected')
    expect(fields.oauth_parameters_rejected).toBe('realm')
  })

  test('a realm the client may not request: 403 permission_denied', async () => {
    const p = new Provider()
    const client = p.addClient('limited', { allowedRealms: ['photos'] })
    const ok = await validRequest(p, 'request-token', { client, realm: 'photos' })
    expect((await send(p, 'request-token', ok)).status).toBe(200)
    const req = await validRequest(p, 'request-token', { client, realm: 'photos videos' })
    p.expectError(await send(p, 'request-token', req), 403, 'permission_denied')
  })
})

describe('authorization endpoint', () => {
  test('without oauth_token: 400 parameter_absent', async () => {
    const p = new Provider()
    const req = createOAuthRequest({ method: 'GET', url: AUTHORIZE_URL })
    p.expectRejected(await p.server.getRealmsAndCredentials(req), 400, 'parameter_absent')
    const empty = createOAuthRequest({ method: 'GET', url: `${AUTHORIZE_URL}?oauth_token=` })
    p.expectError(await p.server.createAuthorizationResponse(empty), 400, 'parameter_absent')
    p.expectError(await p.server.createDenialResponse(empty), 400, 'parameter_absent')
  })

  test('an unknown token or an access token: 401 token_rejected', async () => {
    const p = new Provider()
    const at = await p.threeLegged()
    for (const token of ['unknown-token', at.token]) {
      p.expectRejected(
        await p.server.getRealmsAndCredentials(p.authorizationRequest(token)),
        401,
        'token_rejected',
      )
      p.expectError(
        await p.server.createAuthorizationResponse(p.approvalRequest(token), {
          resourceOwner: 'mallory',
        }),
        401,
        'token_rejected',
      )
      p.expectError(
        await p.server.createDenialResponse(p.approvalRequest(token)),
        401,
        'token_rejected',
      )
    }
    expect(p.store.getAccessToken(at.token)).toBeDefined()
  })

  test('malformed input: 400 parameter_rejected', async () => {
    const p = new Provider()
    for (const url of [`${AUTHORIZE_URL}?oauth_token=%zz`, `${AUTHORIZE_URL}?oauth_token=a b`]) {
      const req = createOAuthRequest({ method: 'GET', url })
      p.expectRejected(await p.server.getRealmsAndCredentials(req), 400, 'parameter_rejected')
    }
    const dup = createOAuthRequest({
      method: 'GET',
      url: `${AUTHORIZE_URL}?oauth_token=a&oauth_token=b`,
    })
    p.expectError(await p.server.createAuthorizationResponse(dup), 400, 'parameter_rejected')
  })

  test('an expired request token: 401', async () => {
    const p = new Provider()
    const rt = await p.requestToken()
    p.clock.advance(1801)
    p.expectRejected(
      await p.server.getRealmsAndCredentials(p.authorizationRequest(rt.token)),
      401,
      'token_rejected',
    )
    p.expectError(
      await p.server.createAuthorizationResponse(p.approvalRequest(rt.token)),
      401,
      'token_rejected',
    )
  })
})

describe('access-token endpoint', () => {
  test('without oauth_token or oauth_verifier: 400 parameter_absent', async () => {
    const p = new Provider()
    const rt = await p.authorizedRequestToken()
    const noToken = await p.sign({
      client: p.alice,
      url: ACCESS_TOKEN_URL,
      method: 'POST',
      verifier: rt.verifier,
    })
    const a = p.expectError(await send(p, 'access-token', noToken), 400, 'parameter_absent')
    expect(a.oauth_parameters_absent).toBe('oauth_token')
    const noVerifier = await p.sign({
      client: p.alice,
      url: ACCESS_TOKEN_URL,
      method: 'POST',
      token: rt.token,
      tokenSecret: rt.secret,
    })
    const b = p.expectError(await send(p, 'access-token', noVerifier), 400, 'parameter_absent')
    expect(b.oauth_parameters_absent).toBe('oauth_verifier')
  })

  test('a wrong verifier: 401 verifier_invalid, and the token survives the attempt', async () => {
    const p = new Provider()
    const rt = await p.authorizedRequestToken()
    for (const verifier of ['wrong', `${rt.verifier.slice(0, -1)}x`, `${rt.verifier}x`]) {
      const req = await p.accessTokenRequest({ ...rt, verifier })
      p.expectError(await send(p, 'access-token', req), 401, 'verifier_invalid')
    }
    await p.accessToken(rt)
  })

  test('a request token not yet authorized: 401 verifier_invalid', async () => {
    const p = new Provider()
    const rt = await p.requestToken()
    const req = await p.accessTokenRequest({ ...rt, verifier: 'guessed' })
    p.expectError(await send(p, 'access-token', req), 401, 'verifier_invalid')
  })

  test('verifier and request token reuse after the exchange: 401 token_rejected', async () => {
    const p = new Provider()
    const rt = await p.authorizedRequestToken()
    await p.accessToken(rt)
    const again = await p.accessTokenRequest(rt)
    p.expectError(await send(p, 'access-token', again), 401, 'token_rejected')
    // Nor as a resource credential.
    const res = await p.resourceRequest({ token: rt.token, secret: rt.secret })
    p.expectError(await send(p, 'resource', res), 401, 'token_rejected')
    expect(p.store.listAccessTokens({ clientKey: p.alice.clientKey })).toHaveLength(1)
  })

  test('an access token at the access-token endpoint: 401 token_rejected', async () => {
    const p = new Provider()
    const at = await p.threeLegged()
    const req = await p.accessTokenRequest({ ...at, verifier: 'anything' })
    p.expectError(await send(p, 'access-token', req), 401, 'token_rejected')
  })

  test("another client's request token: 401 token_rejected; its owner can still exchange it", async () => {
    const p = new Provider()
    const rt = await p.authorizedRequestToken()
    const req = await p.accessTokenRequest({ ...rt, client: p.bob })
    p.expectError(await send(p, 'access-token', req), 401, 'token_rejected')
    await p.accessToken(rt)
  })

  test('a wrong request-token secret: 401 signature_invalid', async () => {
    const p = new Provider()
    const rt = await p.authorizedRequestToken()
    const req = await p.accessTokenRequest({ ...rt, secret: `${rt.secret}x` })
    p.expectError(await send(p, 'access-token', req), 401, 'signature_invalid')
  })

  test('an expired request token (injected clock): 401 token_rejected', async () => {
    const p = new Provider()
    const rt = await p.authorizedRequestToken()
    p.clock.advance(1801)
    const req = await p.accessTokenRequest(rt)
    p.expectError(await send(p, 'access-token', req), 401, 'token_rejected')
  })

  test('a request token just before expiry still works', async () => {
    const p = new Provider()
    const rt = await p.authorizedRequestToken()
    p.clock.advance(1799)
    await p.accessToken(rt)
  })
})

describe('resource endpoint', () => {
  test('without oauth_token: 400 parameter_absent', async () => {
    const p = new Provider()
    const req = await p.resourceRequest({})
    const fields = p.expectError(await send(p, 'resource', req), 400, 'parameter_absent')
    expect(fields.oauth_parameters_absent).toBe('oauth_token')
  })

  test('a request token: 401 token_rejected', async () => {
    const p = new Provider()
    for (const rt of [await p.requestToken(), await p.authorizedRequestToken()]) {
      const req = await p.resourceRequest({ token: rt.token, secret: rt.secret })
      p.expectError(await send(p, 'resource', req), 401, 'token_rejected')
    }
  })

  test("another client's access token: 401 token_rejected", async () => {
    const p = new Provider()
    const at = await p.threeLegged()
    const req = await p.resourceRequest({ client: p.bob, token: at.token, secret: at.secret })
    p.expectError(await send(p, 'resource', req), 401, 'token_rejected')
  })

  test('a wrong token secret: 401 signature_invalid', async () => {
    const p = new Provider()
    const at = await p.threeLegged()
    const req = await p.resourceRequest({ token: at.token, secret: `${at.secret}x` })
    p.expectError(await send(p, 'resource', req), 401, 'signature_invalid')
  })

  test('a realm not granted: 403 permission_denied', async () => {
    const p = new Provider()
    const at = await p.threeLegged()
    for (const realms of [['videos'], ['photos', 'videos']]) {
      const req = await p.resourceRequest({ token: at.token, secret: at.secret })
      p.expectError(await send(p, 'resource', req, realms), 403, 'permission_denied')
    }
  })

  test('a revoked access token: 401 token_rejected', async () => {
    const p = new Provider()
    const at = await p.threeLegged()
    const before = await p.resourceRequest({ token: at.token, secret: at.secret })
    expect((await send(p, 'resource', before)).status).toBe(200)
    expect(p.store.revokeAccessToken(at.token)).toBe(true)
    const after = await p.resourceRequest({ token: at.token, secret: at.secret })
    p.expectError(await send(p, 'resource', after), 401, 'token_rejected')
  })

  test('an expired access token (accessTokenTtl, injected clock): 401 token_rejected', async () => {
    const p = new Provider({ policy: { accessTokenTtl: 3600 } })
    const at = await p.threeLegged()
    p.clock.advance(3599)
    const live = await p.resourceRequest({ token: at.token, secret: at.secret })
    expect((await send(p, 'resource', live)).status).toBe(200)
    p.clock.advance(2)
    const expired = await p.resourceRequest({ token: at.token, secret: at.secret })
    p.expectError(await send(p, 'resource', expired), 401, 'token_rejected')
  })

  test('oauth_body_hash: a JSON body is covered, a tampered one is a 401, with a form body a 400', async () => {
    const p = new Provider()
    const at = await p.threeLegged()
    const json = await p.sign({
      client: p.alice,
      url: RESOURCE_URL,
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"title":"Sunset"}',
      token: at.token,
      tokenSecret: at.secret,
    })
    expect(paramOf(json, 'oauth_body_hash')).toBeDefined()
    expect((await send(p, 'resource', json)).status).toBe(200)
    const again = await p.sign({
      client: p.alice,
      url: RESOURCE_URL,
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"title":"Sunset"}',
      token: at.token,
      tokenSecret: at.secret,
    })
    const tampered = { ...again, body: '{"title":"Sunrise"}' }
    p.expectError(await send(p, 'resource', tampered), 401, 'signature_invalid')
    const third = await p.sign({
      client: p.alice,
      url: RESOURCE_URL,
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"title":"Sunset"}',
      token: at.token,
      tokenSecret: at.secret,
    })
    const formWithHash = { ...third, headers: { ...third.headers, 'content-type': FORM } }
    const fields = p.expectError(await send(p, 'resource', formWithHash), 400, 'parameter_rejected')
    expect(fields.oauth_parameters_rejected).toBe('oauth_body_hash')
  })
})

describe('signature-only endpoint and signing details', () => {
  test('oauth_version may be absent, but not 2.0, even when correctly signed', async () => {
    const p = new Provider()
    const oauth = (version: string | undefined): Param[] => [
      ['oauth_consumer_key', p.alice.clientKey],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', String(p.clock.seconds)],
      ['oauth_nonce', randomText(16)],
      ...(version === undefined ? [] : [['oauth_version', version] as Param]),
    ]
    const raw = (version: string | undefined) =>
      signRaw({
        method: 'GET',
        url: RESOURCE_URL,
        placement: 'AUTH_HEADER',
        oauth: oauth(version),
        clientSecret: p.alice.clientSecret,
      })
    expect((await send(p, 'signature-only', await raw(undefined))).status).toBe(200)
    expect((await send(p, 'signature-only', await raw('1.0'))).status).toBe(200)
    for (const version of ['2.0', '1.0a', '1', '']) {
      p.expectError(await send(p, 'signature-only', await raw(version)), 400, 'version_rejected')
    }
  })

  test('PLAINTEXT without nonce and timestamp: refused unless the provider opts in', async () => {
    const build = (p: Provider, method = 'PLAINTEXT') =>
      signRaw({
        method: 'GET',
        url: RESOURCE_URL,
        placement: 'AUTH_HEADER',
        oauth: [
          ['oauth_consumer_key', p.alice.clientKey],
          ['oauth_signature_method', method],
        ],
        clientSecret: p.alice.clientSecret,
        plaintext: method === 'PLAINTEXT',
      })
    const strict = new Provider()
    const fields = strict.expectError(
      await send(strict, 'signature-only', await build(strict)),
      400,
      'parameter_absent',
    )
    expect(fields.oauth_parameters_absent).toBe('oauth_nonce&oauth_timestamp')

    const lax = new Provider({ policy: { allowPlaintextWithoutNonce: true } })
    expect((await send(lax, 'signature-only', await build(lax))).status).toBe(200)
    // Only PLAINTEXT: an HMAC request still needs both.
    lax.expectError(
      await send(lax, 'signature-only', await build(lax, 'HMAC-SHA1')),
      400,
      'parameter_absent',
    )
  })

  test('duplicated ordinary parameters are fine: they are signed as sent', async () => {
    const p = new Provider()
    const req = await validRequest(p, 'signature-only', {
      url: 'https://api.example.com/search?tag=a&tag=b&tag=a',
    })
    expect((await send(p, 'signature-only', req)).status).toBe(200)
  })

  test('RSA: a signature by another key, or garbage, is a 401 signature_invalid', async () => {
    const p = new Provider()
    const other = rsaKeyPair()
    const forged = await validRequest(p, 'signature-only', {
      signatureMethod: 'RSA-SHA256',
      client: { ...p.alice, rsaPrivateKey: other.privateKey },
    })
    p.expectError(await send(p, 'signature-only', forged), 401, 'signature_invalid')
    for (const signature of ['AAAA', '', '====', 'A'.repeat(344)]) {
      const req = setParam(
        await validRequest(p, 'signature-only', { signatureMethod: 'RSA-SHA1' }),
        'oauth_signature',
        signature,
      )
      const status = signature === '' ? 400 : 401
      const problem = signature === '' ? 'parameter_absent' : 'signature_invalid'
      p.expectError(await send(p, 'signature-only', req), status, problem)
    }
  })

  test('RSA: a non-canonical base64 encoding of a valid signature is refused', async () => {
    // 256 signature bytes are 342 base64 characters and "==": the last character before
    // the padding carries 4 unused bits. Setting them must not yield a second valid
    // signature (a malleable signature is a mutated signature accepted). Nonces are not
    // checked here, so that only the signature decides.
    const p = new Provider({ policy: { nonces: { claimNonce: () => true } } })
    const req = await validRequest(p, 'signature-only', { signatureMethod: 'RSA-SHA1' })
    const signature = paramOf(req, 'oauth_signature') as string
    expect(signature).toMatch(/==$/)
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
    const last = alphabet.indexOf(signature.at(-3) as string)
    const variant = `${signature.slice(0, -3)}${alphabet[last ^ 1]}==`
    expect(variant).not.toBe(signature)
    p.expectError(
      await send(p, 'signature-only', setParam(req, 'oauth_signature', variant)),
      401,
      'signature_invalid',
    )
    // The original, untouched, still verifies.
    expect((await send(p, 'signature-only', req)).status).toBe(200)
  })
})

describe('error responses', () => {
  test('the 401 challenge names the configured realm, else the origin of the request', async () => {
    const p = new Provider()
    const req = await validRequest(p, 'signature-only', { clientKey: 'nobody', clientSecret: 'x' })
    const response = await send(p, 'signature-only', req)
    expect(response.headers['WWW-Authenticate']).toBe('OAuth realm="https://api.example.com"')
    const named = new Provider({ endpoint: { realm: 'Photos "API"' } })
    const r2 = await validRequest(named, 'resource', { clientKey: 'nobody', clientSecret: 'x' })
    const res2 = await send(named, 'resource', r2)
    expect(res2.headers['WWW-Authenticate']).toBe('OAuth realm="Photos \\"API\\""')
  })

  test('no secret, expected signature or base string in any error response', async () => {
    const p = new Provider()
    const at = await p.threeLegged()
    const responses = []
    // PLAINTEXT signatures carry the secrets themselves.
    const plain = await p.resourceRequest({
      signatureMethod: 'PLAINTEXT',
      token: at.token,
      secret: `${at.secret}-wrong`,
    })
    responses.push(await send(p, 'resource', plain))
    // A bad HMAC signature: the correct one must not be revealed.
    const wrong = await p.resourceRequest({ token: at.token, secret: 'not-the-secret' })
    const right = await signHmacSha1(wrong.baseString as string, p.alice.clientSecret, at.secret)
    responses.push(await send(p, 'resource', wrong))
    // Other failures along the way.
    responses.push(await send(p, 'resource', { ...wrong, url: `${wrong.url}&x=%zz` }))
    responses.push(
      await send(p, 'resource', await p.resourceRequest({ token: at.token, secret: at.secret }), [
        'docs',
      ]),
    )
    responses.push(
      await send(
        p,
        'access-token',
        await p.accessTokenRequest({ token: at.token, secret: at.secret, verifier: 'v' }),
      ),
    )
    expect(responses.map((r) => r.status)).toEqual([401, 401, 400, 403, 401])
    for (const response of responses) {
      p.expectNoLeak(response)
      expect(response.body).not.toContain(right)
      expect(response.body).not.toContain(encodeURIComponent(right))
      expect(Object.keys(form(response)).sort()).toEqual(
        expect.arrayContaining(['error', 'oauth_problem']),
      )
    }
    expect(p.secrets.size).toBeGreaterThanOrEqual(5)
  })
})

describe('request input that reaches a response header or body', () => {
  // Found by the fuzz test: request-derived text in the 401 challenge, the error body and
  // the redirect must never break the response (a CR/LF in a header is response
  // splitting in some servers and an exception in Node's setHeader; a lone surrogate
  // made the error serialiser itself throw out of the endpoint).
  const HEADER_SAFE = /^[\t\x20-\x7e]*$/

  test('control characters in the URL authority do not reach the WWW-Authenticate header', async () => {
    const p = new Provider()
    for (const junk of ['\r\nX-Injected', '\u0000', '\u20ac', '"\\']) {
      const req = await validRequest(p, 'signature-only', {
        clientKey: 'nobody',
        clientSecret: 'x',
      })
      const url = req.url.replace('api.example.com', `api.example.com${junk}`)
      const result = await p.server.validateRequest({ ...req, url })
      p.expectRejected(result, 401, 'consumer_key_unknown')
      const response = (result as RejectedRequest).response
      expect(response.headers['WWW-Authenticate']).toMatch(/^OAuth realm="(?:[^"\\]|\\.)*"$/)
      for (const value of Object.values(response.headers)) expect(value).toMatch(HEADER_SAFE)
    }
  })

  test('a lone surrogate in a signature method does not make the endpoint throw', async () => {
    const p = new Provider()
    for (const target of TARGETS) {
      const req = await validRequest(p, target)
      const auth = (req.headers.authorization as string).replace(
        /oauth_signature_method="[^"]*"/,
        'oauth_signature_method="HMAC\ud800"',
      )
      const response = await send(p, target, {
        ...req,
        headers: { ...req.headers, authorization: auth },
      })
      const fields = p.expectError(response, 400, 'signature_method_rejected')
      expect(fields.error_description).toBe('The signature method is not accepted.')
    }
    // The same through the query, on the resource endpoint's realm check.
    const q = await validRequest(p, 'request-token', { signatureType: 'QUERY', realm: undefined })
    const bad = { ...q, url: `${q.url}&realm=\udc00` }
    const response = await send(p, 'request-token', bad)
    expect(response.status).toBe(400)
    p.expectNoLeak(response)
  })

  test('a realm that is not shaped like one is not echoed', async () => {
    const p = new Provider()
    const q = await validRequest(p, 'request-token', { signatureType: 'QUERY', realm: undefined })
    const merged = await send(p, 'request-token', {
      ...q,
      url: `${q.url}&realm=photos'oauth_token=${'t'.repeat(30)}`,
    })
    const fields = p.expectError(merged, 400, 'parameter_rejected')
    expect(fields.error_description).toBe('Invalid realm.')
    const unknown = await send(p, 'request-token', { ...q, url: `${q.url}&realm=vault` })
    expect(p.expectError(unknown, 400, 'parameter_rejected').error_description).toBe(
      'Invalid realm vault.',
    )
  })

  test('a signature method that ran into the next parameter is not echoed', async () => {
    // Found by the fuzz test: a lost `&` in a query-signed request merged
    // `oauth_signature_method=HMAC-SHA1` with the `oauth_verifier=…` after it, and the
    // message quoted the merged value, verifier included.
    const p = new Provider()
    const req = await validRequest(p, 'access-token', { signatureType: 'QUERY', realm: undefined })
    const verifier = /[?&](oauth_verifier=[^&]*)/.exec(req.url)?.[1] as string
    const merged = req.url
      .replace(`&${verifier}`, '')
      .replace(/oauth_signature_method=[^&]*/, (m) => `${m}'${verifier}`)
    expect(merged).toContain(`HMAC-SHA1'${verifier}`)
    const response = await send(p, 'access-token', { ...req, url: merged })
    const fields = p.expectError(response, 400, 'signature_method_rejected')
    expect(fields.error_description).toBe('The signature method is not accepted.')
    p.expectNoLeak(response)
    // A name-shaped method is still named.
    const md5 = await send(p, 'access-token', {
      ...req,
      url: req.url.replace(/oauth_signature_method=[^&]*/, 'oauth_signature_method=HMAC-MD5'),
    })
    expect(p.expectError(md5, 400, 'signature_method_rejected').error_description).toBe(
      'Signature method HMAC-MD5 is not accepted.',
    )
  })

  test('a malformed Authorization header is not echoed: a merged name may hold a secret', async () => {
    // Found by the fuzz test: deleting the `="` after a name merges the name with its
    // value, and the parser's message used to quote that "name", verifier included. With
    // PLAINTEXT, the value is the client secret itself.
    const p = new Provider()
    const rt = await p.authorizedRequestToken()
    const req = await p.accessTokenRequest(rt)
    const auth = req.headers.authorization as string
    const plain = await validRequest(p, 'signature-only', { signatureMethod: 'PLAINTEXT' })
    const plainAuth = plain.headers.authorization as string
    const mangled: [OAuthRequest, Target][] = [
      [
        { ...req, headers: { authorization: auth.replace('oauth_verifier="', 'oauth_verifier') } },
        'access-token',
      ],
      [
        { ...req, headers: { authorization: auth.replace('oauth_verifier="', 'oauth_verifier ') } },
        'access-token',
      ],
      [
        {
          ...plain,
          headers: { authorization: plainAuth.replace('oauth_signature="', 'oauth_signature') },
        },
        'signature-only',
      ],
      [
        {
          ...plain,
          headers: { authorization: plainAuth.replace('oauth_signature="', 'oauth_signature=') },
        },
        'signature-only',
      ],
    ]
    for (const [bad, target] of mangled) {
      const response = await send(p, target, bad)
      p.expectError(response, 400, 'parameter_rejected')
      expect(response.body).not.toContain(rt.verifier)
      expect(response.body).not.toContain(encodeURIComponent(p.alice.clientSecret))
    }
  })

  test('a callback with control or non-ASCII characters is refused (no header injection)', async () => {
    const p = new Provider()
    for (const callback of [
      'https://client.example.net/cb\r\nSet-Cookie: sid=1',
      'https://client.example.net/cb\u0000',
      'https://client.example.net/cb\tx',
      'https://client.example.net/\u20ac',
    ]) {
      const req = await validRequest(p, 'request-token', { callback })
      const fields = p.expectError(await send(p, 'request-token', req), 400, 'parameter_rejected')
      expect(fields.oauth_parameters_rejected).toBe('oauth_callback')
    }
    // Percent-encoded, the same characters are a fine callback.
    const rt = await p.requestToken({
      callback: 'https://client.example.net/cb?next=%0D%0A%E2%82%AC',
    })
    const { response } = await p.authorize(rt.token)
    for (const value of Object.values(response.headers)) expect(value).toMatch(HEADER_SAFE)
  })
})

describe('request construction', () => {
  test('a header named like an Object.prototype member keeps its own value', () => {
    const req = createOAuthRequest({
      method: 'GET',
      url: RESOURCE_URL,
      headers: { Constructor: 'x', 'X-A': ['1', '2'], 'x-a': '3' },
    })
    expect(req.headers.constructor).toBe('x')
    expect(req.headers['x-a']).toBe('1, 2, 3')
    // JSON.parse makes __proto__ an own property, as a header parser might.
    const proto = createOAuthRequest({
      method: 'GET',
      url: RESOURCE_URL,
      headers: JSON.parse('{"__proto__":"y","Authorization":"OAuth a=1"}'),
    })
    expect(Object.entries(proto.headers)).toEqual([
      ['__proto__', 'y'],
      ['authorization', 'OAuth a=1'],
    ])
    expect(Object.getPrototypeOf(proto.headers)).toBe(Object.prototype)
    const fetchHeaders = createOAuthRequest({
      method: 'GET',
      url: RESOURCE_URL,
      headers: new Headers([['constructor', 'z']]),
    })
    expect(fetchHeaders.headers.constructor).toBe('z')
  })
})
