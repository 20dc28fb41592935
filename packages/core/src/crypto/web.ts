import { bytesToBase64 } from './base64.js'
import type { CryptoBackend, HashName } from './types.js'

const encoder = new TextEncoder()

/**
 * A WebCrypto RSA key must be imported once per hash, so the handle keeps the DER bytes
 * and imports lazily, at most once per hash.
 */
interface WebRsaKey {
  readonly der: Uint8Array
  readonly format: 'spki' | 'pkcs8'
  readonly imported: Map<HashName, Promise<CryptoKey>>
}

function rsaKeyFor(key: WebRsaKey, hash: HashName): Promise<CryptoKey> {
  let imported = key.imported.get(hash)
  if (imported === undefined) {
    imported = crypto.subtle.importKey(
      key.format,
      key.der as Uint8Array<ArrayBuffer>,
      { name: 'RSASSA-PKCS1-v1_5', hash },
      false,
      key.format === 'spki' ? ['verify'] : ['sign'],
    )
    key.imported.set(hash, imported)
  }
  return imported
}

async function importChecked(der: Uint8Array, format: 'spki' | 'pkcs8'): Promise<WebRsaKey> {
  const key: WebRsaKey = { der, format, imported: new Map() }
  // Import eagerly once so an unusable key fails here, not on the first request.
  await rsaKeyFor(key, 'SHA-256')
  return key
}

/** The WebCrypto backend, for runtimes without `node:crypto` (Cloudflare workerd, browsers). */
export const backend: CryptoBackend = {
  name: 'web',
  async hmacBase64(hash, key, data) {
    const cryptoKey = await crypto.subtle.importKey(
      'raw',
      encoder.encode(key),
      { name: 'HMAC', hash },
      false,
      ['sign'],
    )
    const mac = await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(data))
    return bytesToBase64(new Uint8Array(mac))
  },
  async digestBase64(hash, data) {
    const bytes = typeof data === 'string' ? encoder.encode(data) : data
    const digest = await crypto.subtle.digest(hash, bytes as Uint8Array<ArrayBuffer>)
    return bytesToBase64(new Uint8Array(digest))
  },
  importRsaPublicKey: (spki) => importChecked(spki, 'spki'),
  importRsaPrivateKey: (pkcs8) => importChecked(pkcs8, 'pkcs8'),
  async rsaSignBase64(hash, key, data) {
    const cryptoKey = await rsaKeyFor(key as WebRsaKey, hash)
    const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', cryptoKey, encoder.encode(data))
    return bytesToBase64(new Uint8Array(signature))
  },
  async rsaVerify(hash, key, data, signature) {
    const cryptoKey = await rsaKeyFor(key as WebRsaKey, hash)
    return crypto.subtle.verify(
      'RSASSA-PKCS1-v1_5',
      cryptoKey,
      signature as Uint8Array<ArrayBuffer>,
      encoder.encode(data),
    )
  },
  randomBytes: (length) => crypto.getRandomValues(new Uint8Array(length)),
}
