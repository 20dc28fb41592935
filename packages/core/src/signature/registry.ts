import type { HashName } from '../crypto/types.js'
import {
  hmacKey,
  type RsaPrivateKey,
  type RsaPublicKey,
  type SignatureFunctions,
} from './methods.js'
import { builtinFunctions } from './sign.js'
import { timingSafeEqual } from './timing-safe-equal.js'

/** Names of the seven built-in methods. */
export type BuiltinSignatureMethodName =
  | 'HMAC-SHA1'
  | 'HMAC-SHA256'
  | 'HMAC-SHA512'
  | 'RSA-SHA1'
  | 'RSA-SHA256'
  | 'RSA-SHA512'
  | 'PLAINTEXT'

/** The built-in method names, in oauthlib's order. */
export const SIGNATURE_METHODS: readonly BuiltinSignatureMethodName[] = Object.freeze([
  'HMAC-SHA1',
  'HMAC-SHA256',
  'HMAC-SHA512',
  'RSA-SHA1',
  'RSA-SHA256',
  'RSA-SHA512',
  'PLAINTEXT',
] as const)

/** What a method signs with. */
export interface SignInput {
  /** The signature base string (ignored by PLAINTEXT). */
  readonly baseString: string
  readonly clientSecret?: string | null | undefined
  readonly tokenSecret?: string | null | undefined
  /** For RSA methods: PEM or imported private key. */
  readonly privateKey?: string | RsaPrivateKey | null | undefined
}

/** What a method verifies with. */
export interface VerifyInput {
  readonly baseString: string
  /** The decoded `oauth_signature` value. */
  readonly signature: string
  readonly clientSecret?: string | null | undefined
  readonly tokenSecret?: string | null | undefined
  /** For RSA methods: PEM, certificate or imported public key. */
  readonly publicKey?: string | RsaPublicKey | null | undefined
}

/**
 * A signature method (RFC 5849 §3.4). `keyType` tells a provider what to look up: the
 * shared secrets, or the client's RSA public key.
 */
export interface SignatureMethod {
  readonly name: string
  readonly keyType: 'shared-secret' | 'rsa'
  /** Whether the signature covers the base string (PLAINTEXT does not). */
  readonly usesBaseString: boolean
  sign(input: SignInput): Promise<string>
  /** Must never throw for a malformed signature: answer `false`. */
  verify(input: VerifyInput): Promise<boolean>
}

function hmacMethod(fns: SignatureFunctions, name: string, hash: HashName): SignatureMethod {
  return {
    name,
    keyType: 'shared-secret',
    usesBaseString: true,
    sign: (i) => fns.hmacSign(hash, i.baseString, i.clientSecret, i.tokenSecret),
    verify: (i) => fns.hmacVerify(hash, i.baseString, i.signature, i.clientSecret, i.tokenSecret),
  }
}

function rsaMethod(fns: SignatureFunctions, name: string, hash: HashName): SignatureMethod {
  return {
    name,
    keyType: 'rsa',
    usesBaseString: true,
    sign(i) {
      if (i.privateKey === undefined || i.privateKey === null) {
        return Promise.reject(new TypeError(`${name} needs an RSA private key`))
      }
      return fns.rsaSign(hash, i.baseString, i.privateKey)
    },
    verify(i) {
      if (i.publicKey === undefined || i.publicKey === null) {
        return Promise.reject(new TypeError(`${name} needs an RSA public key`))
      }
      return fns.rsaVerify(hash, i.baseString, i.signature, i.publicKey)
    },
  }
}

const plaintextMethod: SignatureMethod = {
  name: 'PLAINTEXT',
  keyType: 'shared-secret',
  usesBaseString: false,
  sign: async (i) => hmacKey(i.clientSecret, i.tokenSecret),
  verify: async (i) => timingSafeEqual(hmacKey(i.clientSecret, i.tokenSecret), i.signature),
}

/** Creates the seven built-in methods on a set of signature functions. */
export function createBuiltinSignatureMethods(fns: SignatureFunctions): readonly SignatureMethod[] {
  return Object.freeze([
    hmacMethod(fns, 'HMAC-SHA1', 'SHA-1'),
    hmacMethod(fns, 'HMAC-SHA256', 'SHA-256'),
    hmacMethod(fns, 'HMAC-SHA512', 'SHA-512'),
    rsaMethod(fns, 'RSA-SHA1', 'SHA-1'),
    rsaMethod(fns, 'RSA-SHA256', 'SHA-256'),
    rsaMethod(fns, 'RSA-SHA512', 'SHA-512'),
    plaintextMethod,
  ])
}

/** The seven built-in methods on this runtime's crypto backend. */
export const builtinSignatureMethods: readonly SignatureMethod[] =
  createBuiltinSignatureMethods(builtinFunctions)

/**
 * The signature methods a client or provider knows, by name. Starts with the seven
 * built-ins; add custom methods with {@link SignatureMethodRegistry.register}. Each
 * registry is independent: registering never changes another client or endpoint.
 *
 * @example
 * ```ts
 * const methods = new SignatureMethodRegistry().register({
 *   name: 'HMAC-SHA384', keyType: 'shared-secret', usesBaseString: true, sign, verify,
 * })
 * ```
 */
export class SignatureMethodRegistry {
  readonly #methods = new Map<string, SignatureMethod>()

  constructor(methods: Iterable<SignatureMethod> = builtinSignatureMethods) {
    for (const method of methods) this.register(method)
  }

  /**
   * Adds or replaces a method.
   *
   * @throws {TypeError} when the method is not well-formed.
   */
  register(method: SignatureMethod): this {
    if (
      typeof method?.name !== 'string' ||
      method.name === '' ||
      typeof method.sign !== 'function' ||
      typeof method.verify !== 'function' ||
      (method.keyType !== 'shared-secret' && method.keyType !== 'rsa')
    ) {
      throw new TypeError('A signature method needs a name, a keyType, sign() and verify()')
    }
    this.#methods.set(method.name, method)
    return this
  }

  /** The method with this exact (case-sensitive, RFC 5849 §3.4) name, if known. */
  get(name: string): SignatureMethod | undefined {
    return this.#methods.get(name)
  }

  /** Whether a method with this name is known. */
  has(name: string): boolean {
    return this.#methods.has(name)
  }

  /** Names of every known method. */
  names(): string[] {
    return [...this.#methods.keys()]
  }
}
