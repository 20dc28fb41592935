// The HTTP contract of issue 6, quickly, on one DEMO_ADAPTER: a real demo on a real
// socket, driven by the core's Client and a cookie-keeping fetch.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Client, type ClientOptions, SIGNATURE_METHODS } from '@x/oauth1-core'
import { httpRequest } from '@x/oauth1-testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AdapterName } from '../../src/config.ts'
import { runFlow } from '../../src/flow.ts'
import {
  accessToken,
  authorize,
  Browser,
  CERT_PATH,
  inputValue,
  KEY_PATH,
  type Placement,
  signed,
  startTestDemo,
  type TestDemo,
} from './support.ts'

const PLACEMENTS: readonly Placement[] = ['AUTH_HEADER', 'QUERY', 'BODY']
const rsaKey = readFileSync(KEY_PATH, 'utf8')
const KEY = 'demo-client'
const SECRET = 'demo-secret'
const hmac: ClientOptions = { clientKey: KEY, clientSecret: SECRET, rsaKey }
const quiet = () => {}

function expectChallenge(res: { status: number; headers: Headers; text: string }): void {
  expect(res.status).toBe(401)
  expect(res.headers.get('www-authenticate')).toMatch(/^OAuth realm="[^"]*"$/)
  expect(res.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/)
  expect(new URLSearchParams(res.text).get('oauth_problem')).toBeTruthy()
}

/** The contract on one adapter (one test file each, so the three run in parallel). */
export function contractSuite(adapter: AdapterName): void {
  describe(`demo provider on ${adapter}`, () => {
    let t: TestDemo
    let url: string
    let access: { token: string; secret: string; browser: Browser }

    beforeAll(async () => {
      t = await startTestDemo({
        DEMO_ADAPTER: adapter,
        DEMO_CLIENT_KEY: KEY,
        DEMO_CLIENT_SECRET: SECRET,
        DEMO_CLIENT_RSA_PUBLIC_KEY: CERT_PATH,
      })
      url = t.url
      access = await accessToken(url, hmac)
    })
    afterAll(() => t.close())

    const authorized = (): ClientOptions => ({
      ...hmac,
      resourceOwnerKey: access.token,
      resourceOwnerSecret: access.secret,
    })

    it('prints its URL and client, and answers GET /healthz', async () => {
      expect(t.banner).toContain(`listening on ${url}`)
      expect(t.banner).toContain(`adapter:        ${adapter}`)
      expect(t.banner).toContain(`client key:     ${KEY}`)
      const res = await fetch(`${url}/healthz`)
      expect(res.status).toBe(200)
    })

    it('runs the whole flow with the console client (oob, and a callback URL)', async () => {
      const lines: string[] = []
      const oob = await runFlow({
        baseUrl: url,
        clientKey: KEY,
        clientSecret: SECRET,
        method: 'PLAINTEXT',
        placement: 'body',
        login: { user: 'alice', password: 'wonderland' },
        print: (line) => lines.push(line),
      })
      expect(oob.me).toEqual({ user: 'alice', client: KEY, realms: ['profile', 'echo'] })
      expect(oob.echo).toEqual({ params: { greeting: 'hello world', lang: 'en' } })
      expect(oob.ping).toEqual({ client: KEY })
      expect(lines.join('\n')).toContain('Done: the three-legged flow completed')

      const callback = await runFlow({
        baseUrl: url,
        clientKey: KEY,
        rsaPrivateKey: rsaKey,
        method: 'RSA-SHA512',
        placement: 'query',
        callback: 'https://client.example/cb?state=1',
        login: { user: 'alice', password: 'wonderland' },
        print: (line) => lines.push(line),
      })
      expect(callback.me).toMatchObject({ user: 'alice', client: KEY })
      expect(lines.join('\n')).toMatch(
        /base string: GET&http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fapi%2Fme&/,
      )
    })

    it('the console client registers its own client on the developer page when given none', async () => {
      const result = await runFlow({
        baseUrl: url,
        method: 'RSA-SHA1',
        placement: 'header',
        login: { user: 'alice', password: 'wonderland' },
        print: quiet,
      })
      expect(result.clientKey).not.toBe(KEY)
      expect(result.me).toMatchObject({ user: 'alice', client: result.clientKey })
    })

    it.each(SIGNATURE_METHODS)('takes %s in every placement on every route', async (method) => {
      for (const signatureType of PLACEMENTS) {
        const base: ClientOptions = { ...hmac, signatureMethod: method, signatureType }
        const rt = await signed(
          `${url}/oauth/request_token`,
          { ...base, callbackUri: 'oob' },
          {
            form: '',
          },
        )
        expect(rt.status, `${method} ${signatureType} request_token: ${rt.text}`).toBe(200)
        expect(new URLSearchParams(rt.text).get('oauth_callback_confirmed')).toBe('true')
        const three = { ...authorized(), signatureMethod: method, signatureType }
        // GET cannot carry a form body: body placement uses POST on the same route.
        const me = await signed(
          `${url}/api/me`,
          three,
          signatureType === 'BODY' ? { form: '' } : {},
        )
        expect(me.status, `${method} ${signatureType} /api/me: ${me.text}`).toBe(200)
        expect(JSON.parse(me.text)).toEqual({
          user: 'alice',
          client: KEY,
          realms: ['profile', 'echo'],
        })
        const echo = await signed(`${url}/api/echo`, three, { form: 'a=1&b=x%20y&a=2' })
        expect(echo.status, `${method} ${signatureType} /api/echo: ${echo.text}`).toBe(200)
        expect(JSON.parse(echo.text)).toEqual({ params: { a: ['1', '2'], b: 'x y' } })
        const ping = await signed(
          `${url}/api/ping`,
          base,
          signatureType === 'BODY' ? { form: '' } : {},
        )
        expect(ping.status, `${method} ${signatureType} /api/ping: ${ping.text}`).toBe(200)
        expect(JSON.parse(ping.text)).toEqual({ client: KEY })
      }
    })

    it('accepts GET /oauth/request_token too', async () => {
      const rt = await signed(`${url}/oauth/request_token`, { ...hmac, callbackUri: 'oob' })
      expect(rt.status).toBe(200)
      expect(rt.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/)
      expect([...new URLSearchParams(rt.text).keys()]).toEqual([
        'oauth_token',
        'oauth_token_secret',
        'oauth_callback_confirmed',
      ])
    })

    it('GET /oauth/authorize sends a signed-out user to /login?next=…', async () => {
      const res = await new Browser(url).get('/oauth/authorize?oauth_token=abc%2Bdef')
      expect(res.status).toBe(302)
      const location = res.headers.get('location') ?? ''
      expect(location.startsWith('/login?next=')).toBe(true)
      expect(new URL(location, url).searchParams.get('next')).toBe(
        '/oauth/authorize?oauth_token=abc%2Bdef',
      )
    })

    it('POST /login: a wrong password shows the form again without a cookie; the right one redirects with the session cookie', async () => {
      const browser = new Browser(url)
      const form = await browser.get('/login?next=%2Faccount%2Ftokens')
      expect(form.status).toBe(200)
      expect(inputValue(form.text, 'next')).toBe('/account/tokens')
      const wrong = await browser.post('/login', {
        username: 'alice',
        password: 'nope',
        next: '/account/tokens',
      })
      expect([200, 401]).toContain(wrong.status)
      expect(wrong.headers.get('set-cookie')).toBeNull()
      expect(wrong.text).toContain('name="password"')
      const right = await browser.post('/login', {
        username: 'alice',
        password: 'wonderland',
        next: '/account/tokens',
      })
      expect(right.status).toBe(302)
      expect(right.headers.get('location')).toBe('/account/tokens')
      const cookie = right.headers.get('set-cookie') ?? ''
      expect(cookie).toMatch(/^demo_session=[A-Za-z0-9_-]{43};/)
      expect(cookie).toContain('HttpOnly')
      expect(cookie).toContain('SameSite=Lax')
      expect(cookie).not.toContain('Secure')
      expect((await browser.get('/account/tokens')).status).toBe(200)
    })

    it('POST /login only redirects to local paths', async () => {
      for (const next of [
        '//evil.example/x',
        'https://evil.example/',
        '/\\evil.example',
        'javascript:alert(1)',
        '/%0d%0aSet-Cookie:x=1',
        ' /x',
      ]) {
        const res = await new Browser(url).post('/login', {
          username: 'alice',
          password: 'wonderland',
          next,
        })
        expect(res.status).toBe(302)
        const location = res.headers.get('location') ?? ''
        expect(new URL(location, url).origin, next).toBe(url)
        expect(location.startsWith('//')).toBe(false)
      }
    })

    it('the consent page names the client and realms, holds the form and sends security headers', async () => {
      const rt = await signed(
        `${url}/oauth/request_token`,
        { ...hmac, callbackUri: 'oob' },
        {
          form: '',
        },
      )
      const token = new URLSearchParams(rt.text).get('oauth_token') as string
      const browser = new Browser(url)
      await browser.login()
      const res = await browser.get(`/oauth/authorize?oauth_token=${token}`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^text\/html/)
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'")
      expect(res.text).toContain('<html lang="en">')
      expect(res.text).toContain(`Demo client ${KEY}`)
      expect(res.text).toContain('<code>profile</code>')
      expect(res.text).toContain('<code>echo</code>')
      expect(inputValue(res.text, 'oauth_token')).toBe(token)
      expect(inputValue(res.text, 'csrf_token')).toMatch(/^[A-Za-z0-9_-]{32}$/)
      expect(res.text).toMatch(/<button type="submit" name="decision" value="approve">/)
      expect(res.text).toMatch(/<button type="submit" name="decision" value="deny"/)
    })

    it('GET /oauth/authorize with an unknown token answers the core error (401)', async () => {
      const browser = new Browser(url)
      await browser.login()
      expectChallenge(await browser.get('/oauth/authorize?oauth_token=unknown'))
    })

    it('POST /oauth/authorize without or with a wrong CSRF token is 403, and the token stays usable', async () => {
      const rt = await signed(
        `${url}/oauth/request_token`,
        { ...hmac, callbackUri: 'oob' },
        {
          form: '',
        },
      )
      const token = new URLSearchParams(rt.text).get('oauth_token') as string
      const browser = new Browser(url)
      await browser.login()
      const consent = await browser.get(`/oauth/authorize?oauth_token=${token}`)
      const missing = await browser.post('/oauth/authorize', {
        oauth_token: token,
        decision: 'approve',
      })
      expect(missing.status).toBe(403)
      const wrong = await browser.post('/oauth/authorize', {
        oauth_token: token,
        csrf_token: 'x'.repeat(32),
        decision: 'approve',
      })
      expect(wrong.status).toBe(403)
      // Someone else's session and CSRF token do not match this user's either.
      const other = new Browser(url)
      await other.login()
      const foreign = await other.post('/oauth/authorize', {
        oauth_token: token,
        csrf_token: inputValue(consent.text, 'csrf_token') ?? '',
        decision: 'approve',
      })
      expect(foreign.status).toBe(403)
      const ok = await browser.post('/oauth/authorize', {
        oauth_token: token,
        csrf_token: inputValue(consent.text, 'csrf_token') ?? '',
        decision: 'approve',
      })
      expect(ok.status).toBe(200)
      expect(ok.text).toMatch(/id="verifier"[^>]*>[A-Za-z0-9]{30}</)
    })

    it('approve redirects to the callback with oauth_token and oauth_verifier', async () => {
      const { token, answer } = await authorize(
        url,
        hmac,
        'approve',
        'https://client.example/cb?x=1',
      )
      expect(answer.status).toBe(302)
      const location = new URL(answer.headers.get('location') ?? '')
      expect(location.origin + location.pathname).toBe('https://client.example/cb')
      expect(location.searchParams.get('x')).toBe('1')
      expect(location.searchParams.get('oauth_token')).toBe(token)
      expect(location.searchParams.get('oauth_verifier')).toMatch(/^[A-Za-z0-9]{30}$/)
    })

    it('deny redirects with error=access_denied and no verifier (oob: a page without one); the token is gone', async () => {
      const denied = await authorize(url, hmac, 'deny', 'https://client.example/cb')
      expect(denied.answer.status).toBe(302)
      const location = new URL(denied.answer.headers.get('location') ?? '')
      expect(location.searchParams.get('error')).toBe('access_denied')
      expect(location.searchParams.get('oauth_verifier')).toBeNull()

      const oob = await authorize(url, hmac, 'deny')
      expect(oob.answer.status).toBe(200)
      expect(oob.answer.text).toContain('Access denied')
      expect(oob.answer.text).not.toContain('id="verifier"')
      const again = await oob.browser.get(`/oauth/authorize?oauth_token=${oob.token}`)
      expect(again.status).toBe(401)
    })

    it('a verifier is single-use, also under parallel exchanges; a wrong one is 401', async () => {
      const { token, secret, answer } = await authorize(url, hmac, 'approve')
      const verifier = /id="verifier"[^>]*>([^<]+)</.exec(answer.text)?.[1] as string
      const exchange = (v: string) =>
        signed(
          `${url}/oauth/access_token`,
          { ...hmac, resourceOwnerKey: token, resourceOwnerSecret: secret, verifier: v },
          { form: '' },
        )
      expectChallenge(await exchange(`${verifier}x`))
      const results = await Promise.all(Array.from({ length: 8 }, () => exchange(verifier)))
      expect(results.filter((r) => r.status === 200)).toHaveLength(1)
      for (const r of results.filter((r) => r.status !== 200)) expectChallenge(r)
    })

    it('a nonce is single-use, also under parallel requests', async () => {
      const req = await new Client(authorized()).sign(`${url}/api/me`)
      const send = () => fetch(req.uri, { headers: req.headers })
      const results = await Promise.all(Array.from({ length: 8 }, send))
      expect(results.filter((r) => r.status === 200)).toHaveLength(1)
      expect(results.filter((r) => r.status === 401)).toHaveLength(7)
    })

    it('fails as the core does: 400 for malformed, 401 with a challenge for bad credentials', async () => {
      const none = await fetch(`${url}/api/me`)
      expect([400, 401]).toContain(none.status)
      expectChallenge(await signed(`${url}/api/me`, { ...authorized(), clientSecret: 'wrong' }))
      expectChallenge(await signed(`${url}/api/me`, { ...authorized(), clientKey: 'nobody' }))
      expectChallenge(await signed(`${url}/api/me`, { ...authorized(), resourceOwnerKey: 'nope' }))
      expectChallenge(await signed(`${url}/api/ping`, { ...hmac, clientKey: 'nobody' }))
      // A request token is not an access token.
      const rt = await signed(
        `${url}/oauth/request_token`,
        { ...hmac, callbackUri: 'oob' },
        {
          form: '',
        },
      )
      const temporary = new URLSearchParams(rt.text)
      expectChallenge(
        await signed(`${url}/api/me`, {
          ...hmac,
          resourceOwnerKey: temporary.get('oauth_token') as string,
          resourceOwnerSecret: temporary.get('oauth_token_secret') as string,
        }),
      )
      // Stale timestamp, bad version, unknown method, duplicated parameter.
      const stale = await signed(`${url}/api/me`, { ...authorized(), timestamp: '1000000000' })
      expect([400, 401]).toContain(stale.status)
      const req = await new Client(authorized()).sign(`${url}/api/me`)
      const header = req.headers.Authorization as string
      const send = (authorization: string) =>
        fetch(`${url}/api/me`, { headers: { Authorization: authorization } })
      expect(
        (await send(header.replace('oauth_version="1.0"', 'oauth_version="2.0"'))).status,
      ).toBe(400)
      expect((await send(header.replace('HMAC-SHA1', 'HMAC-MD5'))).status).toBe(400)
      expect((await send(`${header}, oauth_nonce="again123"`)).status).toBe(400)
      expect((await send('OAuth oauth_consumer_key="a%zz"')).status).toBe(400)
      expect((await send('Basic YWxpY2U6d29uZGVybGFuZA==')).status).toBe(400)
      // Nonces outside 8 to 64 printable characters.
      expect((await signed(`${url}/api/me`, { ...authorized(), nonce: 'short' })).status).toBe(400)
      expect(
        (await signed(`${url}/api/me`, { ...authorized(), nonce: 'n'.repeat(65) })).status,
      ).toBe(400)
    })

    it('survives a 64 KiB Authorization header (400 or 431) and keeps serving', async () => {
      const big = await httpRequest(`${url}/api/me`, {
        headers: { authorization: `OAuth oauth_consumer_key="${'a'.repeat(64 * 1024)}"` },
      }).catch(() => ({ status: 431 }))
      expect([400, 431]).toContain(big.status)
      const nine = await httpRequest(`${url}/api/me`, {
        headers: { authorization: `OAuth oauth_consumer_key="${'a'.repeat(9 * 1024)}"` },
      })
      expect(nine.status).toBe(400)
      expect((await fetch(`${url}/healthz`)).status).toBe(200)
    })

    it('does not lock anyone out after many bad requests', async () => {
      await Promise.all(
        Array.from({ length: 40 }, () =>
          signed(`${url}/api/me`, { ...authorized(), clientSecret: 'wrong' }),
        ),
      )
      expect((await signed(`${url}/api/me`, authorized())).status).toBe(200)
      const browser = new Browser(url)
      for (let i = 0; i < 10; i++)
        await browser.post('/login', { username: 'alice', password: 'x' })
      await browser.login()
    })

    it('never answers 500 to bad input', async () => {
      const answers = await Promise.all([
        httpRequest(`${url}/%zz`),
        httpRequest(`${url}/api/me?a=%zz`),
        httpRequest(`${url}/oauth/authorize?oauth_token=%zz`, {}),
        httpRequest(`${url}/login`, { headers: { host: 'a b' } }),
        httpRequest(`${url}/api/ping`, { headers: { host: '[::1' } }),
        httpRequest(`${url}/`, { headers: { cookie: 'demo_session=%%%; ;=; x' } }),
        httpRequest(`${url}/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'username=%zz&password=%&next=%E0%A4%A',
        }),
        httpRequest(`${url}/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"username":"alice"}',
        }),
        httpRequest(`${url}/oauth/authorize`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'oauth_token=%zz&csrf_token=%&decision=approve',
        }),
        httpRequest(`${url}/oauth/request_token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `${'a=1&'.repeat(200)}oauth_consumer_key=x`,
        }),
        httpRequest(`${url}/api/echo`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'x'.repeat(2 * 1024 * 1024),
        }),
        httpRequest(`${url}/developer`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'name=%00',
        }),
        httpRequest(`${url}/api/me`, { method: 'PUT' }),
        httpRequest(`${url}/api/me`, { method: 'OPTIONS' }),
        httpRequest(`${url}/api/me`, { method: 'HEAD' }),
      ])
      for (const answer of answers) {
        expect(answer.status).toBeGreaterThanOrEqual(200)
        expect(answer.status).toBeLessThan(500)
      }
      expect((await fetch(`${url}/healthz`)).status).toBe(200)
    })

    it('the developer page registers a client once (CSRF-protected), escaping what it shows', async () => {
      const browser = new Browser(url)
      const form = await browser.get('/developer')
      expect(form.status).toBe(200)
      const csrf = inputValue(form.text, 'csrf_token') ?? ''
      expect(
        (await new Browser(url).post('/developer', { name: 'x', csrf_token: csrf })).status,
      ).toBe(403)
      const bad = await browser.post('/developer', {
        csrf_token: csrf,
        name: 'Bad key',
        callback: '',
        rsa_public_key: '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----',
      })
      expect(bad.status).toBe(400)
      const badCallback = await browser.post('/developer', {
        csrf_token: csrf,
        name: 'Bad callback',
        callback: 'javascript:alert(1)',
      })
      expect(badCallback.status).toBe(400)
      const name = '<script>alert("x")</script> & co'
      const done = await browser.post('/developer', {
        csrf_token: csrf,
        name,
        callback: 'https://app.example/cb',
        rsa_public_key: readFileSync(CERT_PATH, 'utf8'),
      })
      expect(done.status).toBe(200)
      expect(done.text).not.toContain('<script>')
      expect(done.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co')
      const clientKey = /id="client-key"[^>]*>([^<]+)</.exec(done.text)?.[1] as string
      const clientSecret = /id="client-secret"[^>]*>([^<]+)</.exec(done.text)?.[1] as string
      expect(clientSecret).toMatch(/^[A-Za-z0-9]{32}$/)
      const again = await browser.get('/developer')
      expect(again.text).not.toContain(clientSecret)
      const ping = await signed(`${url}/api/ping`, { clientKey, clientSecret })
      expect(JSON.parse(ping.text)).toEqual({ client: clientKey })
      const rsa = await signed(`${url}/api/ping`, {
        clientKey,
        rsaKey,
        signatureMethod: 'RSA-SHA256',
      })
      expect(rsa.status).toBe(200)
      // The registered callback is enforced; oob is always allowed.
      const elsewhere = await signed(
        `${url}/oauth/request_token`,
        { clientKey, clientSecret, callbackUri: 'https://evil.example/cb' },
        { form: '' },
      )
      expect(elsewhere.status).toBe(400)
      const consent = await (async () => {
        const rt = await signed(
          `${url}/oauth/request_token`,
          { clientKey, clientSecret, callbackUri: 'https://app.example/cb' },
          { form: '' },
        )
        const reader = new Browser(url)
        await reader.login()
        return reader.get(
          `/oauth/authorize?oauth_token=${new URLSearchParams(rt.text).get('oauth_token')}`,
        )
      })()
      expect(consent.text).not.toContain('<script>')
      expect(consent.text).toContain('https://app.example')
    })

    it('/account/tokens lists the granted tokens and revokes one (CSRF-protected)', async () => {
      expect((await new Browser(url).get('/account/tokens')).status).toBe(302)
      const granted = await accessToken(url, hmac)
      const mine: ClientOptions = {
        ...hmac,
        resourceOwnerKey: granted.token,
        resourceOwnerSecret: granted.secret,
      }
      expect((await signed(`${url}/api/me`, mine)).status).toBe(200)
      const list = await granted.browser.get('/account/tokens')
      expect(list.status).toBe(200)
      expect(list.text).toContain(`Demo client ${KEY}`)
      const forms = [
        ...list.text.matchAll(
          /<form method="post" action="\/account\/tokens\/revoke">[\s\S]*?<\/form>/g,
        ),
      ]
      expect(forms.length).toBeGreaterThanOrEqual(2)
      expect(list.text).not.toContain(granted.token)
      const ids = forms.map((f) => inputValue(f[0], 'token_id') as string)
      const id = createHash('sha256').update(granted.token).digest('base64url').slice(0, 32)
      expect(ids).toContain(id)
      const csrf = inputValue(list.text, 'csrf_token') as string
      expect((await granted.browser.post('/account/tokens/revoke', { token_id: id })).status).toBe(
        403,
      )
      const res = await granted.browser.post('/account/tokens/revoke', {
        token_id: id,
        csrf_token: csrf,
      })
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toBe('/account/tokens')
      expect((await granted.browser.get('/account/tokens')).text).not.toContain(`value="${id}"`)
      expect((await signed(`${url}/api/me`, authorized())).status).toBe(200)
      expectChallenge(await signed(`${url}/api/me`, mine))
    })

    it('signs out with the CSRF token', async () => {
      const browser = new Browser(url)
      await browser.login()
      const home = await browser.get('/')
      expect(home.text).toContain('Signed in as')
      const csrf = inputValue(home.text, 'csrf_token') as string
      expect((await browser.post('/logout', {})).status).toBe(403)
      const out = await browser.post('/logout', { csrf_token: csrf })
      expect(out.status).toBe(303)
      expect((await browser.get('/account/tokens')).status).toBe(302)
    })
  })
}
