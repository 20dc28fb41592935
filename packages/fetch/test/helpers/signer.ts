import { createHash, createHmac, sign as nodeSign } from 'node:crypto'
import { testCertificateKeyPem, testCertificatePem } from '@x/oauth1-testkit'
import OAuth from 'oauth-1.0a'

export const HMAC_CLIENT = { clientKey: 'fetch-hmac-client', clientSecret: 'fetch-hmac-secret' }
export const RSA_CLIENT = { clientKey: 'fetch-rsa-client', rsaPublicKey: testCertificatePem() }

/** The provider's configuration, as every runtime's server receives it. */
export function providerConfig(adapter: Record<string, unknown> = {}): string {
  return JSON.stringify({ clients: [HMAC_CLIENT, RSA_CLIENT], adapter })
}

export type Method = 'HMAC-SHA1' | 'HMAC-SHA256' | 'RSA-SHA1'

/** A real third-party signer (npm `oauth-1.0a`) with node:crypto doing the hashing. */
export function signer(
  method: Method,
  consumer: { key: string; secret: string } = {
    key: method.startsWith('RSA') ? RSA_CLIENT.clientKey : HMAC_CLIENT.clientKey,
    secret: method.startsWith('RSA') ? '' : HMAC_CLIENT.clientSecret,
  },
): OAuth {
  return new OAuth({
    consumer,
    signature_method: method,
    hash_function: method.startsWith('RSA')
      ? (base) => nodeSign('sha1', Buffer.from(base), testCertificateKeyPem()).toString('base64')
      : (base, key) =>
          createHmac(method === 'HMAC-SHA1' ? 'sha1' : 'sha256', key)
            .update(base)
            .digest('base64'),
    body_hash_function: (body) => createHash('sha1').update(body).digest('base64'),
  })
}

export interface SignedRequest {
  readonly url: string
  readonly init: RequestInit
}

/**
 * Signs a request with the Authorization header. `form` is sent as a form body (and
 * signed); `oauth` adds protocol parameters such as `oauth_callback` to the header.
 */
export function signRequest(
  oauth: OAuth,
  url: string,
  options: {
    readonly method?: string
    readonly token?: OAuth.Token | undefined
    readonly form?: Record<string, string>
    readonly oauth?: Record<string, string>
  } = {},
): SignedRequest {
  const method = options.method ?? 'GET'
  const data = { ...options.form, ...options.oauth }
  const authorization = oauth.toHeader({
    ...oauth.authorize({ url, method, data }, options.token),
    ...options.oauth,
  } as OAuth.Authorization).Authorization
  const headers: Record<string, string> = { Authorization: authorization }
  let body: string | undefined
  if (options.form !== undefined) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded'
    body = new URLSearchParams(options.form).toString()
  }
  return { url, init: { method, headers, body: body ?? null, redirect: 'manual' } }
}

export function send(request: SignedRequest): Promise<Response> {
  return fetch(request.url, request.init)
}

/** Swaps the signature for another valid-looking one. */
export function tamper(request: SignedRequest): SignedRequest {
  const headers = { ...(request.init.headers as Record<string, string>) }
  headers.Authorization = (headers.Authorization ?? '').replace(
    /oauth_signature="[^"]*"/,
    'oauth_signature="AAAAAAAAAAAAAAAAAAAAAAAAAAA%3D"',
  )
  return { url: request.url, init: { ...request.init, headers } }
}

export function parseForm(text: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(text))
}
