import { afterAll, beforeAll, expect, it } from 'vitest'
import { HMAC_CLIENT, parseForm, RSA_CLIENT, send, signer, signRequest, tamper } from './signer.ts'

/** A provider app (test/runtimes/app.js) serving on a real socket. */
export interface ServedApp {
  readonly url: string
  close(): Promise<void>
}

const CALLBACK = 'http://client.example/callback?state=s1'

/**
 * The signed request set every runtime must pass: the three-legged flow, two-legged HMAC
 * and RSA requests, a body-signed POST, and the 401 outcomes. Registers its own hooks.
 */
export function runSignedRequestSet(start: () => Promise<ServedApp>, runtime: RegExp): void {
  let app: ServedApp
  let base = ''
  let access: { key: string; secret: string } | undefined

  beforeAll(async () => {
    app = await start()
    base = app.url.replace(/\/$/, '')
  })
  afterAll(async () => {
    await app?.close()
  })

  it('serves the app on the expected runtime', async () => {
    const res = await fetch(`${base}/runtime`)
    expect(res.status).toBe(200)
    expect(((await res.json()) as { runtime: string }).runtime).toMatch(runtime)
  })

  it('runs the three-legged flow signed by oauth-1.0a (HMAC-SHA1)', async () => {
    const oauth = signer('HMAC-SHA1')
    const temp = await send(
      signRequest(oauth, `${base}/oauth/request_token`, {
        method: 'POST',
        oauth: { oauth_callback: CALLBACK },
      }),
    )
    expect(temp.status).toBe(200)
    const tempCreds = parseForm(await temp.text())
    expect(tempCreds.oauth_callback_confirmed).toBe('true')
    const requestToken = tempCreds.oauth_token as string

    const consent = await fetch(
      `${base}/oauth/authorize?oauth_token=${encodeURIComponent(requestToken)}`,
    )
    expect(consent.status).toBe(200)
    expect(await consent.json()).toMatchObject({ clientKey: HMAC_CLIENT.clientKey })

    const approved = await fetch(`${base}/oauth/authorize`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ oauth_token: requestToken, decision: 'allow' }).toString(),
      redirect: 'manual',
    })
    expect(approved.status).toBe(302)
    const location = new URL(approved.headers.get('location') as string)
    expect(`${location.origin}${location.pathname}`).toBe('http://client.example/callback')
    expect(location.searchParams.get('state')).toBe('s1')
    expect(location.searchParams.get('oauth_token')).toBe(requestToken)
    const verifier = location.searchParams.get('oauth_verifier') as string

    const token = { key: requestToken, secret: tempCreds.oauth_token_secret as string }
    const wrongVerifier = await send(
      signRequest(oauth, `${base}/oauth/access_token`, {
        method: 'POST',
        token,
        oauth: { oauth_verifier: `${verifier}x` },
      }),
    )
    expect(wrongVerifier.status).toBe(401)

    const exchanged = await send(
      signRequest(oauth, `${base}/oauth/access_token`, {
        method: 'POST',
        token,
        oauth: { oauth_verifier: verifier },
      }),
    )
    expect(exchanged.status).toBe(200)
    const creds = parseForm(await exchanged.text())
    access = { key: creds.oauth_token as string, secret: creds.oauth_token_secret as string }

    const photos = await send(
      signRequest(oauth, `${base}/api/photos?size=original&file=vacation.jpg`, { token: access }),
    )
    expect(photos.status).toBe(200)
    expect(await photos.json()).toMatchObject({
      runtime: expect.stringMatching(runtime),
      clientKey: HMAC_CLIENT.clientKey,
      token: access.key,
      resourceOwner: 'alice',
    })

    // A form body is signed too, and handed to the route after the adapter read it.
    const posted = await send(
      signRequest(oauth, `${base}/api/photos`, {
        method: 'POST',
        token: access,
        form: { title: 'summer 2026', tags: 'sea&sun' },
      }),
    )
    expect(posted.status).toBe(200)
    expect(parseForm(((await posted.json()) as { body: string }).body)).toEqual({
      title: 'summer 2026',
      tags: 'sea&sun',
    })
  })

  it('rejects replays, forged signatures, unknown tokens and clients with 401', async () => {
    const oauth = signer('HMAC-SHA1')
    const request = signRequest(oauth, `${base}/api/photos`, { token: access })
    expect((await send(request)).status).toBe(200)
    const replay = await send(request)
    expect(replay.status).toBe(401)
    expect(parseForm(await replay.text()).oauth_problem).toBe('nonce_used')

    const forged = await send(tamper(signRequest(oauth, `${base}/api/photos`, { token: access })))
    expect(forged.status).toBe(401)
    expect(forged.headers.get('www-authenticate')).toMatch(/^OAuth realm="/)
    expect(parseForm(await forged.text()).oauth_problem).toBe('signature_invalid')

    const unknownToken = await send(
      signRequest(oauth, `${base}/api/photos`, { token: { key: 'nope', secret: 'nope' } }),
    )
    expect(unknownToken.status).toBe(401)

    const stranger = signer('HMAC-SHA1', { key: 'unknown-client', secret: 'x' })
    const unknownClient = await send(signRequest(stranger, `${base}/api/two-legged`))
    expect(unknownClient.status).toBe(401)
    expect(parseForm(await unknownClient.text()).oauth_problem).toBe('consumer_key_unknown')

    const unsigned = await fetch(`${base}/api/photos`)
    expect(unsigned.status).toBe(400)
    expect(parseForm(await unsigned.text()).oauth_problem).toBe('parameter_absent')
  })

  it('verifies two-legged requests: HMAC-SHA256 and RSA-SHA1 with a form body', async () => {
    const hmac = await send(signRequest(signer('HMAC-SHA256'), `${base}/api/two-legged?x=1`))
    expect(hmac.status).toBe(200)
    expect(await hmac.json()).toMatchObject({ clientKey: HMAC_CLIENT.clientKey })

    const rsa = await send(
      signRequest(signer('RSA-SHA1'), `${base}/api/two-legged`, {
        method: 'POST',
        form: { launch: 'lti', user: 'a b' },
      }),
    )
    expect(rsa.status).toBe(200)
    expect(await rsa.json()).toMatchObject({ clientKey: RSA_CLIENT.clientKey })

    const rsaForged = await send(tamper(signRequest(signer('RSA-SHA1'), `${base}/api/two-legged`)))
    expect(rsaForged.status).toBe(401)
  })
}
