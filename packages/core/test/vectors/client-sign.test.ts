import {
  Client,
  type ClientOptions,
  parseAuthorizationHeader,
  type SignatureType,
  verifyHmacSha1,
  verifyHmacSha256,
  verifyRsaSha1,
} from '@x/oauth1-core/signature'
import { type Vector, vectorGroup, vectorKey } from '@x/oauth1-testkit'
import { describe, expect, it } from 'vitest'
import { named, vectorById, vectorsExcept } from './support.ts'

interface ClientSignVector extends Vector {
  readonly client: {
    readonly client_key: string
    readonly client_secret?: string
    readonly resource_owner_key?: string
    readonly resource_owner_secret?: string
    readonly callback_uri?: string
    readonly verifier?: string
    readonly signature_method?: string
    readonly signature_type?: string
    readonly rsa_key?: string
    readonly realm?: string
    readonly nonce?: string
    readonly timestamp?: string
  }
  readonly request: {
    readonly uri: string
    readonly http_method?: string
    readonly body?: string | null
    readonly headers?: Record<string, string>
    readonly realm?: string
  }
  readonly expected:
    | { readonly uri: string; readonly headers: Record<string, string>; body: string | null }
    | { readonly error: string; readonly message: string }
  readonly asserted_by_source?: Record<string, string>
}

/** oauthlib's snake_case constructor options, as our camelCase ClientOptions. */
function clientOptions(c: ClientSignVector['client']): ClientOptions {
  const options: { -readonly [K in keyof ClientOptions]: ClientOptions[K] } = {
    clientKey: c.client_key,
  }
  if (c.client_secret !== undefined) options.clientSecret = c.client_secret
  if (c.resource_owner_key !== undefined) options.resourceOwnerKey = c.resource_owner_key
  if (c.resource_owner_secret !== undefined) options.resourceOwnerSecret = c.resource_owner_secret
  if (c.callback_uri !== undefined) options.callbackUri = c.callback_uri
  if (c.verifier !== undefined) options.verifier = c.verifier
  if (c.signature_method !== undefined) options.signatureMethod = c.signature_method
  // Cast on purpose: cs-err-invalid-type passes a value outside the type.
  if (c.signature_type !== undefined) options.signatureType = c.signature_type as SignatureType
  if (c.rsa_key !== undefined) options.rsaKey = vectorKey(c.rsa_key)
  if (c.realm !== undefined) options.realm = c.realm
  if (c.nonce !== undefined) options.nonce = c.nonce
  if (c.timestamp !== undefined) options.timestamp = c.timestamp
  return options
}

function signVector(v: ClientSignVector) {
  const r = v.request
  return new Client(clientOptions(v.client)).sign(r.uri, {
    method: r.http_method,
    body: r.body,
    headers: r.headers,
    realm: r.realm,
  })
}

async function signError(v: ClientSignVector): Promise<unknown> {
  try {
    await signVector(v)
  } catch (error) {
    return error
  }
  return undefined
}

const vectors = vectorGroup<ClientSignVector>('client_sign')

describe('client_sign (Client.sign)', () => {
  const signing = vectors.filter((v) => !('error' in v.expected))
  it.each(named(signing, (v) => v.id))('%s', async (_, v) => {
    const expected = v.expected as Exclude<ClientSignVector['expected'], { error: string }>
    const signed = await signVector(v)
    expect(signed.uri).toBe(expected.uri)
    expect(signed.headers).toEqual(expected.headers)
    // oauthlib's None body is our undefined.
    expect(signed.body).toBe(expected.body ?? undefined)

    // What the upstream test itself asserts holds as well.
    const asserted = v.asserted_by_source ?? {}
    const authorization = signed.headers.Authorization ?? ''
    if (asserted.Authorization !== undefined) expect(authorization).toBe(asserted.Authorization)
    if (asserted.Authorization_contains !== undefined) {
      expect(authorization).toContain(asserted.Authorization_contains)
    }
    if (asserted.Authorization_startswith !== undefined) {
      expect(authorization.startsWith(asserted.Authorization_startswith)).toBe(true)
    }
    if (asserted.body !== undefined) expect(signed.body).toBe(asserted.body)
    if (asserted.uri !== undefined) expect(signed.uri).toBe(asserted.uri)
  })

  // The signature the client put in the header verifies against the base string it
  // reports, with the verify functions a provider uses.
  it.each(
    named(
      signing.filter((v) => (v.client.signature_type ?? 'AUTH_HEADER') === 'AUTH_HEADER'),
      (v) => `${v.id}: the header signature verifies over the reported base string`,
    ),
  )('%s', async (_, v) => {
    const signed = await signVector(v)
    const params = parseAuthorizationHeader(signed.headers.Authorization ?? '').params
    const signature = params.find(([name]) => name === 'oauth_signature')?.[1] ?? ''
    const method = v.client.signature_method ?? 'HMAC-SHA1'
    const secrets = [v.client.client_secret, v.client.resource_owner_secret] as const
    if (method === 'PLAINTEXT') {
      expect(signed.baseString).toBeUndefined()
      return
    }
    const baseString = signed.baseString ?? ''
    expect(baseString).not.toBe('')
    if (method === 'HMAC-SHA1')
      expect(await verifyHmacSha1(baseString, signature, ...secrets)).toBe(true)
    else if (method === 'HMAC-SHA256') {
      expect(await verifyHmacSha256(baseString, signature, ...secrets)).toBe(true)
    } else if (method === 'RSA-SHA1') {
      // The public half of oauthlib-test-rsa1-private.
      expect(v.client.rsa_key).toBe('oauthlib-test-rsa1-private')
      expect(
        await verifyRsaSha1(baseString, signature, vectorKey('oauthlib-test-rsa1-public')),
      ).toBe(true)
    } else throw new Error(`no verifier for ${method}`)
  })

  // oauthlib raises ValueError; ours raises TypeError (a programmer error, per DESIGN) with
  // the same message.
  it.each(
    named(
      vectorsExcept<ClientSignVector>('client_sign', ['cs-err-rsa-no-key']).filter(
        (v) => 'error' in v.expected,
      ),
      (v) => `${v.id}: TypeError with oauthlib's message`,
    ),
  )('%s', async (_, v) => {
    const expected = v.expected as { error: string; message: string }
    expect(expected.error).toBe('ValueError')
    const error = await signError(v)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as TypeError).message).toBe(expected.message)
  })

  it('cs-err-rsa-no-key (deviation: our option is named rsaKey, so is the message)', async () => {
    const v = vectorById<ClientSignVector>('client_sign', 'cs-err-rsa-no-key')
    // oauthlib: ValueError "rsa_private_key required for RSA with sha1 signature method".
    expect(v.expected).toEqual({
      error: 'ValueError',
      message: 'rsa_private_key required for RSA with sha1 signature method',
    })
    const error = await signError(v)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as TypeError).message).toMatch(/rsaKey/)
    expect((error as TypeError).message).toBe(
      'rsaKey (an RSA private key) is required for RSA-SHA1',
    )
  })
})
