// An OAuth 1.0a signer independent of @x/oauth1-core: npm `oauth-1.0a` builds the base
// string, node:crypto computes the signatures. The conformance suite signs with it so that
// a bug in the core's signing code cannot hide the same bug in its verifying code.
import { createHash, createHmac, sign as rsaSign } from 'node:crypto'
import OAuth from 'oauth-1.0a'

/** Client credentials: a shared secret (HMAC, PLAINTEXT) or an RSA private key. */
export interface SignerClient {
  readonly key: string
  readonly secret?: string | undefined
  readonly privateKeyPem?: string | undefined
}

/** Token credentials (request or access token). */
export interface SignerToken {
  readonly key: string
  readonly secret: string
}

/** What to sign. */
export interface SignInput {
  readonly method: string
  /** The URL the signature covers (it may differ from where the request is sent). */
  readonly url: string
  readonly client: SignerClient
  readonly token?: SignerToken | undefined
  /** Default: RSA-SHA1 for a client with a private key, HMAC-SHA1 otherwise. */
  readonly signatureMethod?: string | undefined
  /** Where the protocol parameters go (default `header`). */
  readonly placement?: 'header' | 'query' | 'body' | undefined
  /** A form body (signed). Arrays are repeated names. */
  readonly form?: Readonly<Record<string, string | readonly string[]>> | undefined
  /** A non-form body, covered by `oauth_body_hash` unless `bodyHash` is `false`. */
  readonly json?: string | undefined
  readonly bodyHash?: boolean | undefined
  /** Extra protocol parameters: `oauth_callback`, `oauth_verifier`. */
  readonly oauth?: Readonly<Record<string, string>> | undefined
  readonly realm?: string | undefined
  readonly nonce?: string | undefined
  /** Seconds since the epoch (default now). */
  readonly timestamp?: number | undefined
  /** `oauth_version` (default `1.0`). */
  readonly version?: string | undefined
}

/** A signed request, ready to send: absolute URL, headers, body text. */
export interface SignedRequest {
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string>
  readonly body: string | undefined
}

const FORM = 'application/x-www-form-urlencoded'

/** RFC 3986 percent-encoding, as RFC 5849 §3.6 wants it. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!*'()]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}

function formText(
  pairs: Iterable<readonly [string, string | readonly string[]]>,
  encode = percentEncode,
): string {
  const out: string[] = []
  for (const [name, value] of pairs) {
    for (const v of typeof value === 'string' ? [value] : value) {
      out.push(`${encode(name)}=${encode(v)}`)
    }
  }
  return out.join('&')
}

function hashFunction(method: string, client: SignerClient) {
  return (base: string, key: string): string => {
    switch (method) {
      case 'PLAINTEXT':
        return key
      case 'RSA-SHA1':
      case 'RSA-SHA256':
        if (client.privateKeyPem === undefined) throw new Error('RSA signing needs a private key')
        return rsaSign(
          method === 'RSA-SHA1' ? 'sha1' : 'sha256',
          Buffer.from(base),
          client.privateKeyPem,
        ).toString('base64')
      case 'HMAC-SHA256':
        return createHmac('sha256', key).update(base).digest('base64')
      case 'HMAC-MD5':
        return createHmac('md5', key).update(base).digest('base64')
      default:
        return createHmac('sha1', key).update(base).digest('base64')
    }
  }
}

/**
 * Signs a request with npm `oauth-1.0a` and node:crypto.
 *
 * @example
 * ```ts
 * const req = signRequest({ method: 'GET', url: `${baseUrl}/api/ping`, client: { key, secret } })
 * await fetch(req.url, { headers: req.headers })
 * ```
 */
export function signRequest(input: SignInput): SignedRequest {
  const method = input.method.toUpperCase()
  const signatureMethod =
    input.signatureMethod ?? (input.client.privateKeyPem !== undefined ? 'RSA-SHA1' : 'HMAC-SHA1')
  const oauth = new OAuth({
    consumer: { key: input.client.key, secret: input.client.secret ?? '' },
    signature_method: signatureMethod,
    hash_function: hashFunction(signatureMethod, input.client),
    body_hash_function: (body: string) => createHash('sha1').update(body).digest('base64'),
    version: input.version ?? '1.0',
  })
  if (input.nonce !== undefined) {
    const nonce = input.nonce
    oauth.getNonce = () => nonce
  }
  if (input.timestamp !== undefined) {
    const timestamp = input.timestamp
    oauth.getTimeStamp = () => timestamp
  }
  const hasJson = input.json !== undefined
  const withHash = hasJson && input.bodyHash !== false
  // oauth-1.0a signs `data` (form fields and extra protocol parameters) unless a body hash is used.
  const data: Record<string, string | string[]> = {}
  for (const [k, v] of Object.entries(input.form ?? {}))
    data[k] = typeof v === 'string' ? v : [...v]
  if (withHash) {
    const signed = oauth.authorize(
      { url: input.url, method, data: input.json as unknown as OAuth.Data, includeBodyHash: true },
      input.token,
    )
    return place(input, method, { ...signed }, hasJson)
  }
  Object.assign(data, input.oauth)
  const signed = oauth.authorize({ url: input.url, method, data }, input.token)
  return place(input, method, { ...input.oauth, ...signed }, hasJson)
}

function place(
  input: SignInput,
  method: string,
  params: Record<string, unknown>,
  hasJson: boolean,
): SignedRequest {
  // oauth-1.0a merges the signed data into what it returns: keep the protocol parameters.
  const protocol = Object.entries(params)
    .filter(([k]) => k.startsWith('oauth_'))
    .map(([k, v]) => [k, String(v)] as const)
  const headers: Record<string, string> = {}
  let url = input.url
  let body: string | undefined
  const form = Object.entries(input.form ?? {})
  switch (input.placement ?? 'header') {
    case 'header': {
      const realm = input.realm === undefined ? [] : [`realm="${input.realm}"`]
      const fields = protocol.map(([k, v]) => `${percentEncode(k)}="${percentEncode(v)}"`)
      headers.authorization = `OAuth ${[...realm, ...fields].join(', ')}`
      if (form.length > 0) body = formText(form)
      break
    }
    case 'query':
      url += `${url.includes('?') ? '&' : '?'}${formText(protocol)}`
      if (form.length > 0) body = formText(form)
      break
    case 'body':
      body = formText([...form, ...protocol])
      break
  }
  if (hasJson) {
    headers['content-type'] = 'application/json'
    body = input.json
  } else if (body !== undefined) {
    headers['content-type'] = FORM
  }
  return { method, url, headers, body }
}
