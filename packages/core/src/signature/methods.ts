import { base64ToBytes } from '../crypto/base64.js'
import { privateKeyPemToPkcs8, publicKeyPemToSpki, unusableKeyError } from '../crypto/pem.js'
import type { CryptoBackend, HashName } from '../crypto/types.js'
import { OAuth1Error } from '../errors.js'
import { escape } from './encoding.js'
import { timingSafeEqual } from './timing-safe-equal.js'

/**
 * An RSA public key parsed once for repeated verification. Create with
 * `importRsaPublicKey`; the signature functions also accept PEM text and cache it.
 */
export class RsaPublicKey {
  readonly type = 'public' as const
  /** @internal Backend-specific key handle. */
  readonly handle: unknown
  /** @internal */
  constructor(handle: unknown) {
    this.handle = handle
  }
}

/**
 * An RSA private key parsed once for repeated signing. Create with `importRsaPrivateKey`;
 * the signature functions also accept PEM text and cache it.
 */
export class RsaPrivateKey {
  readonly type = 'private' as const
  /** @internal Backend-specific key handle. */
  readonly handle: unknown
  /** @internal */
  constructor(handle: unknown) {
    this.handle = handle
  }
}

const KEY_CACHE_LIMIT = 1024

/** A small insertion-ordered cache: when full, the oldest entry goes. */
class KeyCache<T> {
  readonly #entries = new Map<string, Promise<T>>()
  get(pem: string, load: () => Promise<T>): Promise<T> {
    let entry = this.#entries.get(pem)
    if (entry === undefined) {
      entry = load()
      if (this.#entries.size >= KEY_CACHE_LIMIT) {
        this.#entries.delete(this.#entries.keys().next().value as string)
      }
      this.#entries.set(pem, entry)
      entry.catch(() => this.#entries.delete(pem))
    }
    return entry
  }
}

/** The signing key material of the HMAC and PLAINTEXT methods (RFC 5849 §3.4.2, §3.4.4). */
export function hmacKey(clientSecret?: string | null, tokenSecret?: string | null): string {
  return `${escape(clientSecret ?? '')}&${escape(tokenSecret ?? '')}`
}

/** The functions of the built-in methods, bound to one crypto backend. */
export interface SignatureFunctions {
  readonly backend: CryptoBackend
  importRsaPublicKey(pem: string): Promise<RsaPublicKey>
  importRsaPrivateKey(pem: string): Promise<RsaPrivateKey>
  hmacSign(
    hash: HashName,
    baseString: string,
    clientSecret?: string | null,
    tokenSecret?: string | null,
  ): Promise<string>
  hmacVerify(
    hash: HashName,
    baseString: string,
    signature: string,
    clientSecret?: string | null,
    tokenSecret?: string | null,
  ): Promise<boolean>
  rsaSign(hash: HashName, baseString: string, privateKey: string | RsaPrivateKey): Promise<string>
  rsaVerify(
    hash: HashName,
    baseString: string,
    signature: string,
    publicKey: string | RsaPublicKey,
  ): Promise<boolean>
  bodyHash(body: string | Uint8Array): Promise<string>
}

/** Builds the built-in signature functions on a crypto backend. */
export function createSignatureFunctions(backend: CryptoBackend): SignatureFunctions {
  const publicKeys = new KeyCache<RsaPublicKey>()
  const privateKeys = new KeyCache<RsaPrivateKey>()

  async function importRsaPublicKey(pem: string): Promise<RsaPublicKey> {
    if (typeof pem !== 'string') throw new TypeError('RSA public key must be PEM text')
    const spki = publicKeyPemToSpki(pem)
    try {
      return new RsaPublicKey(await backend.importRsaPublicKey(spki))
    } catch (cause) {
      throw cause instanceof OAuth1Error ? cause : unusableKeyError('public key', cause)
    }
  }

  async function importRsaPrivateKey(pem: string): Promise<RsaPrivateKey> {
    if (typeof pem !== 'string') throw new TypeError('RSA private key must be PEM text')
    const pkcs8 = privateKeyPemToPkcs8(pem)
    try {
      return new RsaPrivateKey(await backend.importRsaPrivateKey(pkcs8))
    } catch (cause) {
      throw cause instanceof OAuth1Error ? cause : unusableKeyError('private key', cause)
    }
  }

  return {
    backend,
    importRsaPublicKey,
    importRsaPrivateKey,
    async hmacSign(hash, baseString, clientSecret, tokenSecret) {
      return backend.hmacBase64(hash, hmacKey(clientSecret, tokenSecret), baseString)
    },
    hmacVerify(hash, baseString, signature, clientSecret, tokenSecret) {
      let expected: string | Promise<string>
      try {
        expected = backend.hmacBase64(hash, hmacKey(clientSecret, tokenSecret), baseString)
      } catch (error) {
        // A secret that is not well-formed Unicode: reject like the async path would.
        return Promise.reject(error)
      }
      return expected instanceof Promise
        ? expected.then((mac) => timingSafeEqual(mac, signature))
        : Promise.resolve(timingSafeEqual(expected, signature))
    },
    async rsaSign(hash, baseString, privateKey) {
      const key =
        privateKey instanceof RsaPrivateKey
          ? privateKey
          : await privateKeys.get(privateKey, () => importRsaPrivateKey(privateKey))
      try {
        return await backend.rsaSignBase64(hash, key.handle, baseString)
      } catch (cause) {
        // A key too small for the digest, for instance: each backend throws its own error.
        throw unusableKeyError('private key', cause)
      }
    },
    rsaVerify(hash, baseString, signature, publicKey) {
      const check = (key: RsaPublicKey): boolean | Promise<boolean> => {
        const bytes = base64ToBytes(signature)
        if (bytes === undefined || bytes.length === 0) return false
        try {
          const valid = backend.rsaVerify(hash, key.handle, baseString, bytes)
          // A signature of the wrong length for the key, for instance.
          return valid instanceof Promise ? valid.catch(() => false) : valid
        } catch {
          return false
        }
      }
      // No await on the synchronous path (node:crypto and an imported key): one promise.
      if (publicKey instanceof RsaPublicKey) return Promise.resolve(check(publicKey))
      return publicKeys.get(publicKey, () => importRsaPublicKey(publicKey)).then(check)
    },
    async bodyHash(body) {
      return backend.digestBase64('SHA-1', body)
    },
  }
}
