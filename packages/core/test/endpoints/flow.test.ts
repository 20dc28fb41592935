// The happy paths: the full three-legged flow and the two-legged flow for every signature
// method and every placement, the out-of-band callback, a denial, and the transport rules.
import { createOAuthRequest, type SignatureType } from '@x/oauth1-core'
import { describe, expect, test } from 'vitest'
import {
  ACCESS_TOKEN_URL,
  CALLBACK,
  expectSuccess,
  form,
  METHODS,
  PLACEMENTS,
  Provider,
  REQUEST_TOKEN_URL,
} from './support.ts'

const cases = METHODS.flatMap((method) =>
  PLACEMENTS.map((type) => [method, type] as [string, SignatureType]),
)

describe.each(cases)('%s in %s', (signatureMethod, signatureType) => {
  test('three-legged: request token, authorization, access token, protected resource', async () => {
    const p = new Provider()
    const opts = { signatureMethod, signatureType }

    const rt = await p.requestToken(opts)
    const pending = p.store.getRequestToken(rt.token)
    expect(pending).toMatchObject({
      clientKey: p.alice.clientKey,
      callback: CALLBACK,
      realms: ['photos', 'videos'],
    })

    const details = await p.server.getRealmsAndCredentials(p.authorizationRequest(rt.token))
    expect(details).toMatchObject({
      ok: true,
      realms: ['photos', 'videos'],
      credentials: { resourceOwnerKey: rt.token },
      clientKey: p.alice.clientKey,
      redirectUri: CALLBACK,
    })

    const { verifier, response: redirect } = await p.authorize(rt.token, {
      resourceOwner: 'alice',
      realms: ['photos'],
    })
    expect(redirect.status).toBe(302)
    const location = new URL(redirect.headers.Location as string)
    expect(`${location.origin}${location.pathname}`).toBe('https://client.example.net/callback')
    expect(location.searchParams.get('state')).toBe('xyz')

    const at = await p.accessToken({ ...opts, token: rt.token, secret: rt.secret, verifier })
    expect(at.realms).toBe('photos')
    expect(p.store.getRequestToken(rt.token)).toBeUndefined()
    expect(p.store.listAccessTokens({ clientKey: p.alice.clientKey })).toMatchObject([
      { token: at.token, resourceOwner: 'alice', realms: ['photos'] },
    ])

    const req = await p.resourceRequest({ ...opts, token: at.token, secret: at.secret })
    const result = await p.server.validateProtectedResourceRequest(req, { realms: ['photos'] })
    expect(result).toMatchObject({
      ok: true,
      clientKey: p.alice.clientKey,
      token: at.token,
      resourceOwner: 'alice',
      realms: ['photos'],
    })

    // A realm the user did not grant.
    const other = await p.resourceRequest({ ...opts, token: at.token, secret: at.secret })
    const denied = await p.server.validateProtectedResourceRequest(other, { realms: ['videos'] })
    p.expectRejected(denied, 403, 'permission_denied')
  })

  test('two-legged on the signature-only endpoint', async () => {
    const p = new Provider()
    const req = await p.resourceRequest({ signatureMethod, signatureType })
    const result = await p.server.validateRequest(req)
    expect(result).toMatchObject({ ok: true, clientKey: p.alice.clientKey, token: undefined })
    // Replaying it is refused.
    p.expectRejected(await p.server.validateRequest(req), 401, 'nonce_used')
  })
})

// Clients send `=` raw inside a query or form value (base64 padding, `k=v`): the
// provider's base string must encode it as the client's does, or a valid request is
// refused as a bad signature.
describe('raw `=` inside a value', () => {
  test.each(['AUTH_HEADER', 'QUERY', 'BODY'] as const)(
    'is signed and verified (%s)',
    async (type) => {
      const p = new Provider()
      const url = 'https://api.example.com/photos?cursor=YWJjZA==&next=a=b'
      const req = await p.sign({
        client: p.alice,
        signatureType: type,
        url,
        method: type === 'BODY' ? 'POST' : 'GET',
        body: type === 'BODY' ? 'pad=QQ==&pair=k=v' : undefined,
      })
      expect((await p.server.validateRequest(req)).ok).toBe(true)
    },
  )
})

describe('callbacks and consent', () => {
  test('oob: the verifier comes back in a 200 form page, and the exchange works', async () => {
    const p = new Provider()
    const rt = await p.requestToken({ callback: 'oob' })
    const details = await p.server.getRealmsAndCredentials(p.authorizationRequest(rt.token))
    expect(details).toMatchObject({ ok: true, redirectUri: 'oob' })
    const { verifier, response } = await p.authorize(rt.token)
    expect(response.status).toBe(200)
    expect(response.headers.Location).toBeUndefined()
    expect(form(response)).toEqual({ oauth_token: rt.token, oauth_verifier: verifier })
    const at = await p.accessToken({ token: rt.token, secret: rt.secret, verifier })
    const req = await p.resourceRequest({ token: at.token, secret: at.secret })
    expect((await p.server.validateProtectedResourceRequest(req)).ok).toBe(true)
  })

  test('the user grants every realm of the token when the application names none', async () => {
    const p = new Provider()
    const rt = await p.requestToken({ realm: 'photos docs' })
    const response = await p.server.createAuthorizationResponse(p.approvalRequest(rt.token), {
      resourceOwner: 'alice',
    })
    expect(response.status).toBe(302)
    const verifier = new URL(response.headers.Location as string).searchParams.get(
      'oauth_verifier',
    ) as string
    const at = await p.accessToken({ token: rt.token, secret: rt.secret, verifier })
    expect(at.realms).toBe('photos docs')
  })

  test('the user cannot grant more than the token asked for', async () => {
    const p = new Provider()
    const rt = await p.requestToken({ realm: 'photos' })
    const response = await p.server.createAuthorizationResponse(p.approvalRequest(rt.token), {
      resourceOwner: 'alice',
      realms: ['photos', 'videos'],
    })
    expect(form(response)).toMatchObject({ oauth_parameters_rejected: 'realm' })
    p.expectError(response, 400, 'parameter_rejected')
  })

  test('deny: redirect with error=access_denied, and the token is unusable afterwards', async () => {
    const p = new Provider()
    const rt = await p.requestToken()
    const response = await p.server.createDenialResponse(p.approvalRequest(rt.token))
    expect(response.status).toBe(302)
    const location = new URL(response.headers.Location as string)
    expect(Object.fromEntries(location.searchParams)).toEqual({
      state: 'xyz',
      oauth_token: rt.token,
      error: 'access_denied',
    })
    expect(location.searchParams.has('oauth_verifier')).toBe(false)
    expect(p.store.getRequestToken(rt.token)).toBeUndefined()

    // Not on the consent page, not approvable, not deniable twice, not exchangeable.
    p.expectRejected(
      await p.server.getRealmsAndCredentials(p.authorizationRequest(rt.token)),
      401,
      'token_rejected',
    )
    p.expectError(
      await p.server.createAuthorizationResponse(p.approvalRequest(rt.token), {
        resourceOwner: 'alice',
      }),
      401,
      'token_rejected',
    )
    p.expectError(
      await p.server.createDenialResponse(p.approvalRequest(rt.token)),
      401,
      'token_rejected',
    )
    const exchange = await p.accessTokenRequest({
      token: rt.token,
      secret: rt.secret,
      verifier: 'guessed-verifier',
    })
    p.expectError(await p.server.createAccessTokenResponse(exchange), 401, 'token_rejected')
    expect(p.store.listAccessTokens({})).toEqual([])
  })

  test('deny with oob: a 200 page with error=access_denied', async () => {
    const p = new Provider()
    const rt = await p.requestToken({ callback: 'oob' })
    const response = await p.server.createDenialResponse(p.approvalRequest(rt.token))
    expectSuccess(response, 200)
    expect(form(response)).toEqual({ oauth_token: rt.token, error: 'access_denied' })
    expect(p.store.getRequestToken(rt.token)).toBeUndefined()
  })

  test('a request token can be approved only once', async () => {
    const p = new Provider()
    const rt = await p.requestToken()
    await p.authorize(rt.token)
    p.expectError(
      await p.server.createAuthorizationResponse(p.approvalRequest(rt.token), {
        resourceOwner: 'mallory',
      }),
      401,
      'token_rejected',
    )
    expect(p.store.getRequestToken(rt.token)?.resourceOwner).toBe('alice')
  })

  test('registered callbacks: another callback is refused, oob and query variants pass', async () => {
    const p = new Provider()
    const client = p.addClient('registered', {
      callbackUris: ['https://client.example.net/callback'],
    })
    await p.requestToken({ client, callback: 'https://client.example.net/callback?x=1' })
    await p.requestToken({ client, callback: 'oob' })
    const req = await p.sign({
      client,
      url: REQUEST_TOKEN_URL,
      method: 'POST',
      callback: 'https://evil.example.org/callback',
    })
    const fields = p.expectError(
      await p.server.createRequestTokenResponse(req),
      400,
      'parameter_rejected',
    )
    expect(fields.oauth_parameters_rejected).toBe('oauth_callback')
  })

  test('credentials: extra fields reach the response but may not overwrite protocol fields', async () => {
    const p = new Provider()
    const rt = await p.requestToken()
    const { verifier } = await p.authorize(rt.token)
    const req = await p.accessTokenRequest({ token: rt.token, secret: rt.secret, verifier })
    await expect(
      p.server.createAccessTokenResponse(req, { credentials: { oauth_token: 'chosen' } }),
    ).rejects.toThrow(TypeError)
    const response = await p.server.createAccessTokenResponse(req, {
      credentials: { user_id: '42' },
    })
    expectSuccess(response, 200)
    expect(form(response).user_id).toBe('42')
  })
})

describe('transport security', () => {
  const loopback = 'http://127.0.0.1:8080'

  test('TLS is enforced by default, loopback included', async () => {
    const p = new Provider()
    for (const url of [`${loopback}/oauth/request_token`, 'http://provider.example.com/rt']) {
      const req = await p.sign({ client: p.alice, url, method: 'POST', callback: 'oob' })
      p.expectError(await p.server.createRequestTokenResponse(req), 400, 'insecure_transport')
    }
  })

  test('allowInsecureLoopback: http on 127.0.0.1 is accepted, on a public host refused', async () => {
    const p = new Provider({ policy: { allowInsecureLoopback: true } })
    const rtReq = await p.sign({
      client: p.alice,
      url: `${loopback}/oauth/request_token`,
      method: 'POST',
      callback: 'oob',
      realm: 'photos',
    })
    const response = await p.server.createRequestTokenResponse(rtReq)
    expectSuccess(response, 200)
    const rt = form(response)
    const { verifier } = await p.authorize(rt.oauth_token as string)
    const atReq = await p.sign({
      client: p.alice,
      url: `${loopback}/oauth/access_token`,
      method: 'POST',
      token: rt.oauth_token,
      tokenSecret: rt.oauth_token_secret,
      verifier,
    })
    const at = form(await p.server.createAccessTokenResponse(atReq))
    expect(at.oauth_token).toMatch(/^[A-Za-z0-9]{20,64}$/)
    const resReq = await p.sign({
      client: p.alice,
      url: `${loopback}/photos`,
      token: at.oauth_token,
      tokenSecret: at.oauth_token_secret,
    })
    expect((await p.server.validateProtectedResourceRequest(resReq)).ok).toBe(true)
    // IPv6 loopback as well.
    const v6 = await p.sign({ client: p.alice, url: 'http://[::1]:8080/photos' })
    expect((await p.server.validateRequest(v6)).ok).toBe(true)

    for (const url of [
      'http://provider.example.com/photos',
      'http://127.0.0.1.example.com/photos',
      'http://10.0.0.1/photos',
      'http://[::2]/photos',
    ]) {
      const req = await p.sign({ client: p.alice, url })
      p.expectRejected(await p.server.validateRequest(req), 400, 'insecure_transport')
    }
  })

  test('a spoofed loopback Host from a remote peer is not exempt', async () => {
    const p = new Provider({ policy: { allowInsecureLoopback: true } })
    const signed = await p.sign({ client: p.alice, url: `${loopback}/photos` })
    const remote = createOAuthRequest({ ...signed, clientAddress: '203.0.113.7' })
    p.expectRejected(await p.server.validateRequest(remote), 400, 'insecure_transport')
    const local = createOAuthRequest({ ...signed, clientAddress: '::ffff:127.0.0.1' })
    expect((await p.server.validateRequest(local)).ok).toBe(true)
  })

  test('PLAINTEXT over http is refused even on loopback, unless loopback is exempt', async () => {
    // enforceTls off: http is accepted for HMAC, never for PLAINTEXT.
    const open = new Provider({ policy: { enforceTls: false } })
    for (const url of [`${loopback}/photos`, 'http://api.example.com/photos']) {
      const hmac = await open.sign({ client: open.alice, url })
      expect((await open.server.validateRequest(hmac)).ok).toBe(true)
      const plain = await open.sign({ client: open.alice, url, signatureMethod: 'PLAINTEXT' })
      const fields = open.expectRejected(
        await open.server.validateRequest(plain),
        400,
        'signature_method_rejected',
      )
      expect(fields.oauth_problem_advice).toContain('HTTPS')
    }

    // Exempted loopback: PLAINTEXT is accepted there and nowhere else over http.
    const exempt = new Provider({ policy: { enforceTls: false, allowInsecureLoopback: true } })
    const onLoopback = await exempt.sign({
      client: exempt.alice,
      url: `${loopback}/photos`,
      signatureMethod: 'PLAINTEXT',
    })
    expect((await exempt.server.validateRequest(onLoopback)).ok).toBe(true)
    const elsewhere = await exempt.sign({
      client: exempt.alice,
      url: 'http://api.example.com/photos',
      signatureMethod: 'PLAINTEXT',
    })
    exempt.expectRejected(
      await exempt.server.validateRequest(elsewhere),
      400,
      'signature_method_rejected',
    )
  })

  test('the access-token endpoint enforces TLS too', async () => {
    const p = new Provider()
    const rt = await p.authorizedRequestToken()
    const req = await p.sign({
      client: p.alice,
      url: ACCESS_TOKEN_URL.replace('https:', 'http:'),
      method: 'POST',
      token: rt.token,
      tokenSecret: rt.secret,
      verifier: rt.verifier,
    })
    p.expectError(await p.server.createAccessTokenResponse(req), 400, 'insecure_transport')
    // The token is still exchangeable over TLS.
    await p.accessToken(rt)
  })
})
