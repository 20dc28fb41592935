/** Hash functions the built-in methods use. */
export type HashName = 'SHA-1' | 'SHA-256' | 'SHA-512'

/**
 * What the signature layer needs from a crypto implementation. One backend is chosen per
 * runtime through the `#crypto` import map: `node:crypto` where it exists, WebCrypto
 * elsewhere. Methods may answer synchronously; callers always `await`.
 */
export interface CryptoBackend {
  readonly name: 'node' | 'web'
  /** HMAC over the UTF-8 bytes of `data` with the UTF-8 bytes of `key`, base64 (padded). */
  hmacBase64(hash: HashName, key: string, data: string): string | Promise<string>
  /** Digest of `data` (UTF-8 when a string), base64. */
  digestBase64(hash: HashName, data: string | Uint8Array): string | Promise<string>
  /** Imports an RSA public key from SPKI DER. Throws on unusable input. */
  importRsaPublicKey(spki: Uint8Array): unknown
  /** Imports an RSA private key from PKCS#8 DER. Throws on unusable input. */
  importRsaPrivateKey(pkcs8: Uint8Array): unknown
  /** RSASSA-PKCS1-v1_5 signature over the UTF-8 bytes of `data`, base64. */
  rsaSignBase64(hash: HashName, key: unknown, data: string): string | Promise<string>
  /** RSASSA-PKCS1-v1_5 verification. */
  rsaVerify(
    hash: HashName,
    key: unknown,
    data: string,
    signature: Uint8Array,
  ): boolean | Promise<boolean>
  /** Cryptographically secure random bytes. */
  randomBytes(length: number): Uint8Array
}
