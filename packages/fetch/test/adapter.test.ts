import {
  createRequestValidator,
  MemoryStore,
  type OAuth1Warning,
  RequestTooLargeError,
  WebApplicationServer,
} from '@x/oauth1-core'
import {
  authorizationDetails,
  completeAuthorization,
  handler,
  requireOAuth,
  requireSignature,
  sendOAuthResponse,
  toOAuthRequest,
} from '@x/oauth1-fetch'
import { beforeEach, describe, expect, it } from 'vitest'
import {
  HMAC_CLIENT,
  parseForm,
  type SignedRequest,
  signer,
  signRequest,
} from './helpers/signer.ts'

const FORM = 'application/x-www-form-urlencoded'

function toRequest(signed: SignedRequest, url = signed.url, extra: Record<string, string> = {}) {
  const init = signed.init
  return new Request(url, {
    ...init,
    headers: { ...(init.headers as Record<string, string>), ...extra },
  })
}

function provider() {
  const store = new MemoryStore()
  store.saveClient(HMAC_CLIENT)
  const warnings: OAuth1Warning[] = []
  const onWarning = (w: OAuth1Warning) => warnings.push(w)
  const validator = createRequestValidator({
    clients: store,
    nonces: store,
    tokens: store,
    allowInsecureLoopback: true,
    onWarning,
  })
  return { store, warnings, server: new WebApplicationServer(validator, { onWarning }) }
}

describe('toOAuthRequest', () => {
  it('takes the URL from request.url and lower-cases header names', async () => {
    const req = await toOAuthRequest(
      new Request('http://127.0.0.1:8080/photos?size=original', {
        headers: { 'X-Custom': 'a', Authorization: 'OAuth x="1"' },
      }),
    )
    expect(req).toMatchObject({
      method: 'GET',
      url: 'http://127.0.0.1:8080/photos?size=original',
      body: undefined,
      clientAddress: undefined,
    })
    expect(req.headers).toMatchObject({ 'x-custom': 'a', authorization: 'OAuth x="1"' })
  })

  it('follows Forwarded / X-Forwarded-* only with trustProxy, and publicUrl always', async () => {
    const forwarded = {
      'X-Forwarded-Proto': 'https',
      'X-Forwarded-Host': 'api.example.com',
    }
    const make = (headers: Record<string, string>) =>
      new Request('http://10.0.0.7:3000/v1/photos?x=1', { headers })
    expect((await toOAuthRequest(make(forwarded))).url).toBe('http://10.0.0.7:3000/v1/photos?x=1')
    expect((await toOAuthRequest(make(forwarded), { trustProxy: true })).url).toBe(
      'https://api.example.com/v1/photos?x=1',
    )
    expect(
      (
        await toOAuthRequest(make({ Forwarded: 'for=1.2.3.4;proto=https;host="b.example"' }), {
          trustProxy: true,
        })
      ).url,
    ).toBe('https://b.example/v1/photos?x=1')
    expect(
      (await toOAuthRequest(make(forwarded), { publicUrl: 'https://example.com/app/' })).url,
    ).toBe('https://example.com/app/v1/photos?x=1')
  })

  it('reads form bodies and consumes the caller’s body', async () => {
    const request = new Request('http://127.0.0.1/x', {
      method: 'POST',
      headers: { 'Content-Type': FORM },
      body: 'a=1&b=%20two',
    })
    const req = await toOAuthRequest(request, { clientAddress: '127.0.0.1' })
    expect(req.body).toBe('a=1&b=%20two')
    expect(req.clientAddress).toBe('127.0.0.1')
    expect(request.bodyUsed).toBe(true)
  })

  it('leaves other bodies unread unless oauth_body_hash asks for them', async () => {
    const json = new Request('http://127.0.0.1/x', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'OAuth oauth_nonce="n"' },
      body: '{"a":1}',
    })
    expect((await toOAuthRequest(json)).body).toBeUndefined()
    expect(json.bodyUsed).toBe(false)
    expect(await json.json()).toEqual({ a: 1 })

    const hashed = new Request('http://127.0.0.1/x', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Authorization: 'OAuth oauth_body_hash="h"' },
      body: '{"a":1}',
    })
    expect((await toOAuthRequest(hashed)).body).toBe('{"a":1}')
  })

  it('does not read HEAD or OPTIONS requests', async () => {
    for (const method of ['HEAD', 'OPTIONS']) {
      const req = await toOAuthRequest(
        new Request('http://127.0.0.1/x', { method, headers: { 'Content-Type': FORM } }),
      )
      expect(req.method).toBe(method)
      expect(req.body).toBeUndefined()
    }
  })

  it('refuses a body over bodyLimit (413), declared or streamed, and stops reading', async () => {
    const declared = new Request('http://127.0.0.1/x', {
      method: 'POST',
      headers: { 'Content-Type': FORM, 'Content-Length': '2048' },
      body: 'a=1',
    })
    await expect(toOAuthRequest(declared, { bodyLimit: 1024 })).rejects.toMatchObject({
      status: 413,
    })

    let pulled = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++
        controller.enqueue(new TextEncoder().encode(`a=${'x'.repeat(510)}&`))
        if (pulled > 1000) controller.close()
      },
    })
    const streamed = new Request('http://127.0.0.1/x', {
      method: 'POST',
      headers: { 'Content-Type': FORM },
      body: stream,
      // @ts-expect-error: undici needs duplex for a streamed body; the DOM types lack it.
      duplex: 'half',
    })
    const error = await toOAuthRequest(streamed, { bodyLimit: 4096 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RequestTooLargeError)
    expect(pulled).toBeLessThan(20)
  })

  it('uses a parsed form, with a one-time warning, when the body was already read', async () => {
    const warnings: OAuth1Warning[] = []
    const onWarning = (w: OAuth1Warning) => warnings.push(w)
    for (let i = 0; i < 2; i++) {
      const request = new Request('http://127.0.0.1/x', {
        method: 'POST',
        headers: { 'Content-Type': FORM },
        body: 'a=1&a=2',
      })
      const parsedBody = Object.fromEntries(
        [...(await request.formData()).keys()].map((k) => [k, ['1', '2']]),
      )
      expect((await toOAuthRequest(request, { parsedBody, onWarning })).body).toBe('a=1&a=2')
    }
    expect(warnings.map((w) => w.code)).toEqual(['body-already-parsed'])

    // Consumed without a parsed form: warned, and nothing to verify (the signature fails).
    const consumed = new Request('http://127.0.0.1/x', {
      method: 'POST',
      headers: { 'Content-Type': FORM },
      body: 'a=1',
    })
    await consumed.text()
    expect((await toOAuthRequest(consumed, { onWarning })).body).toBeUndefined()
    // A parsed JSON body cannot stand in for the hashed bytes.
    const json = new Request('http://127.0.0.1/x', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'OAuth oauth_body_hash="h"' },
      body: '{"a":"1"}',
    })
    const parsedJson = await json.json()
    expect((await toOAuthRequest(json, { parsedBody: parsedJson, onWarning })).body).toBeUndefined()
    expect(warnings).toHaveLength(1)
  })

  it('reads each Request once: later calls return the same result', async () => {
    const request = new Request('http://127.0.0.1/x', {
      method: 'POST',
      headers: { 'Content-Type': FORM },
      body: 'a=1',
    })
    const first = await toOAuthRequest(request)
    expect(await toOAuthRequest(request)).toBe(first)
    expect(first.body).toBe('a=1')
  })
})

describe('sendOAuthResponse', () => {
  it('maps status, headers and body; a redirect has no body', async () => {
    const res = sendOAuthResponse({
      status: 401,
      headers: { 'WWW-Authenticate': 'OAuth realm="x"', 'Content-Type': FORM },
      body: 'oauth_problem=signature_invalid',
    })
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe('OAuth realm="x"')
    expect(await res.text()).toBe('oauth_problem=signature_invalid')
    const redirect = sendOAuthResponse({
      status: 302,
      headers: { Location: 'https://client.example/cb' },
      body: undefined,
    })
    expect(redirect.status).toBe(302)
    expect(redirect.body).toBeNull()
  })
})

describe('handler, requireOAuth, requireSignature', () => {
  let p: ReturnType<typeof provider>
  beforeEach(() => {
    p = provider()
  })

  it('serves a token endpoint and answers an oversized body with 413', async () => {
    const requestToken = handler((req) => p.server.createRequestTokenResponse(req), {
      bodyLimit: 64,
    })
    const signed = signRequest(signer('HMAC-SHA1'), 'http://127.0.0.1/oauth/request_token', {
      method: 'POST',
      oauth: { oauth_callback: 'oob' },
    })
    const ok = await requestToken(toRequest(signed))
    expect(ok.status).toBe(200)
    expect(parseForm(await ok.text())).toMatchObject({ oauth_callback_confirmed: 'true' })

    const big = await requestToken(
      new Request('http://127.0.0.1/oauth/request_token', {
        method: 'POST',
        headers: { 'Content-Type': FORM },
        body: `a=${'x'.repeat(100)}`,
      }),
    )
    expect(big.status).toBe(413)
    expect(parseForm(await big.text()).oauth_problem).toBe('request_too_large')
  })

  it('verifies the URL the client signed behind a proxy only with trustProxy', async () => {
    const signed = () =>
      signRequest(signer('HMAC-SHA1'), 'https://api.example.com/lti/launch', {
        method: 'POST',
        form: { user_id: '42' },
      })
    const proxied = (s: SignedRequest) =>
      toRequest(s, 'http://127.0.0.1:3000/lti/launch', {
        'X-Forwarded-Proto': 'https',
        'X-Forwarded-Host': 'api.example.com',
      })
    const trusting = await requireSignature(p.server.signatureOnly, { trustProxy: true })(
      proxied(signed()),
    )
    expect(trusting).toMatchObject({ ok: true, oauth1: { clientKey: HMAC_CLIENT.clientKey } })
    if (trusting instanceof Response) throw new Error('unreachable')
    expect(parseForm(trusting.oauth1.request.body ?? '')).toEqual({ user_id: '42' })

    const naive = await requireSignature(p.server.signatureOnly)(proxied(signed()))
    expect(naive).toBeInstanceOf(Response)
    expect((naive as Response).status).toBe(401)
    expect(parseForm(await (naive as Response).text()).oauth_problem).toBe('signature_invalid')
  })

  it('passes the peer address: a spoofed loopback Host from elsewhere is not exempt from TLS', async () => {
    const guard = requireSignature(p.server.signatureOnly)
    const make = () => toRequest(signRequest(signer('HMAC-SHA1'), 'http://127.0.0.1/two'))
    expect(await guard(make(), { clientAddress: '127.0.0.1' })).toMatchObject({ ok: true })
    const remote = await guard(make(), { clientAddress: '203.0.113.9' })
    expect((remote as Response).status).toBe(400)
    expect(parseForm(await (remote as Response).text()).oauth_problem).toBe('insecure_transport')
  })

  it('requireOAuth answers with the resource owner, or a ready 401 Response', async () => {
    p.store.saveAccessToken({
      token: 'at-1',
      secret: 'at-secret',
      clientKey: HMAC_CLIENT.clientKey,
      resourceOwner: 'alice',
      realms: ['photos'],
      createdAt: Date.now(),
    })
    const guard = requireOAuth(p.server.resource, { realms: ['photos'] })
    const token = { key: 'at-1', secret: 'at-secret' }
    const ok = await guard(
      toRequest(signRequest(signer('HMAC-SHA1'), 'http://127.0.0.1/p', { token })),
    )
    expect(ok).toMatchObject({
      ok: true,
      oauth1: {
        ok: true,
        clientKey: HMAC_CLIENT.clientKey,
        token: 'at-1',
        resourceOwner: 'alice',
        realms: ['photos'],
        request: { url: 'http://127.0.0.1/p' },
      },
    })
    const bad = await guard(
      toRequest(
        signRequest(signer('HMAC-SHA1'), 'http://127.0.0.1/p', {
          token: { ...token, secret: 'x' },
        }),
      ),
    )
    expect((bad as Response).status).toBe(401)
    expect((bad as Response).headers.get('www-authenticate')).toBe('OAuth realm="http://127.0.0.1"')
  })
})

describe('authorization step', () => {
  it('shows details, approves into the callback, and denies with access_denied', async () => {
    const p = provider()
    const requestToken = handler((req) => p.server.createRequestTokenResponse(req))
    const issue = async () => {
      const res = await requestToken(
        toRequest(
          signRequest(signer('HMAC-SHA1'), 'http://127.0.0.1/rt', {
            method: 'POST',
            oauth: { oauth_callback: 'https://client.example/cb' },
          }),
        ),
      )
      return parseForm(await res.text()).oauth_token as string
    }
    const token = await issue()
    const details = await authorizationDetails(
      p.server,
      new Request(`http://127.0.0.1/authorize?oauth_token=${token}`),
    )
    expect(details).toMatchObject({
      ok: true,
      clientKey: HMAC_CLIENT.clientKey,
      credentials: { resourceOwnerKey: token },
      redirectUri: 'https://client.example/cb',
    })
    const unknown = await authorizationDetails(
      p.server,
      new Request('http://127.0.0.1/authorize?oauth_token=nope'),
    )
    expect((unknown as Response).status).toBe(401)

    // The consent form posts the token and the decision; the decision function reads the form.
    const consent = (t: string, decision: string) =>
      new Request('http://127.0.0.1/authorize', {
        method: 'POST',
        headers: { 'Content-Type': FORM },
        body: `oauth_token=${t}&decision=${decision}`,
      })
    const decide = (req: { body: string | undefined }) =>
      new URLSearchParams(req.body).get('decision') === 'allow' && { resourceOwner: 'bob' }
    const approved = await completeAuthorization(p.server, consent(token, 'allow'), decide)
    expect(approved.status).toBe(302)
    expect(approved.headers.get('location')).toMatch(
      new RegExp(`^https://client\\.example/cb\\?oauth_token=${token}&oauth_verifier=\\w+$`),
    )

    const other = await issue()
    const denied = await completeAuthorization(p.server, consent(other, 'no'), decide)
    expect(denied.headers.get('location')).toBe(
      `https://client.example/cb?oauth_token=${other}&error=access_denied`,
    )
    const gone = await completeAuthorization(p.server, consent(other, 'allow'), decide)
    expect(gone.status).toBe(401)
    expect(parseForm(await gone.text()).oauth_problem).toBe('token_rejected')
  })
})
