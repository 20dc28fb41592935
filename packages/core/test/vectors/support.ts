// Shared helpers for the oauthlib vector tests: vector lookup, pair comparison and the
// signature implementations every signature vector runs against (both crypto backends,
// plus the public exports).
import {
  builtinSignatureMethods,
  signHmacSha1,
  signHmacSha256,
  signHmacSha512,
  signPlaintext,
  signRsaSha1,
  signRsaSha256,
  signRsaSha512,
  verifyHmacSha1,
  verifyHmacSha256,
  verifyHmacSha512,
  verifyPlaintext,
  verifyRsaSha1,
  verifyRsaSha256,
  verifyRsaSha512,
} from '@x/oauth1-core/signature'
import { type Vector, vectorGroup } from '@x/oauth1-testkit'
import { backend as nodeBackend } from '../../src/crypto/node.ts'
import type { HashName } from '../../src/crypto/types.ts'
import { backend as webBackend } from '../../src/crypto/web.ts'
import { createSignatureFunctions, type SignatureFunctions } from '../../src/signature/methods.ts'
import { createBuiltinSignatureMethods } from '../../src/signature/registry.ts'

export type Pair = [string, string]

/** One vector of a group by id; throws when it is missing so a renamed vector fails loudly. */
export function vectorById<T extends Vector>(group: string, id: string): T {
  const vector = vectorGroup<T>(group).find((v) => v.id === id)
  if (vector === undefined) throw new Error(`vector ${id} not found in group ${group}`)
  return vector
}

/** The vectors of a group minus the listed ids (those get their own, named tests). */
export function vectorsExcept<T extends Vector>(group: string, ids: readonly string[]): T[] {
  for (const id of ids) vectorById(group, id)
  return vectorGroup<T>(group).filter((v) => !ids.includes(v.id))
}

/**
 * Rows for `it.each` / `describe.each` whose first column is the test name (`%s`), so
 * names read `hp-13 ...` rather than vitest's quoted `$id` formatting.
 */
export function named<T>(items: readonly T[], name: (item: T) => string): [string, T][] {
  return items.map((item): [string, T] => [name(item), item])
}

/** Pairs sorted by name then value, for the order-insensitive comparisons the vectors ask for. */
export function sortedPairs(pairs: readonly (readonly [string, string])[]): Pair[] {
  return pairs
    .map(([name, value]): Pair => [name, value])
    .sort((a, b) =>
      a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1,
    )
}

/** What a signature method signs with. */
export interface SignArgs {
  readonly baseString: string
  readonly clientSecret?: string | null
  readonly tokenSecret?: string | null
  readonly privateKey?: string
}

/** What a signature method verifies with. */
export interface VerifyArgs {
  readonly baseString: string
  readonly signature: string
  readonly clientSecret?: string | null
  readonly tokenSecret?: string | null
  readonly publicKey?: string
}

/** One way of reaching the seven built-in methods. */
export interface SignatureImpl {
  readonly name: string
  sign(method: string, args: SignArgs): Promise<string>
  verify(method: string, args: VerifyArgs): Promise<boolean>
}

const HMAC_HASHES: Readonly<Record<string, HashName>> = {
  'HMAC-SHA1': 'SHA-1',
  'HMAC-SHA256': 'SHA-256',
  'HMAC-SHA512': 'SHA-512',
}
const RSA_HASHES: Readonly<Record<string, HashName>> = {
  'RSA-SHA1': 'SHA-1',
  'RSA-SHA256': 'SHA-256',
  'RSA-SHA512': 'SHA-512',
}

export const isRsaMethod = (method: string): boolean => method in RSA_HASHES
export const isHmacMethod = (method: string): boolean => method in HMAC_HASHES

function requireKey(key: string | undefined, method: string): string {
  if (key === undefined) throw new Error(`${method} vector without an RSA key`)
  return key
}

/**
 * The functions of `createSignatureFunctions(backend)`, called directly. PLAINTEXT needs
 * no crypto; it goes through the built-in method created on the same functions.
 */
function backendImpl(fns: SignatureFunctions): SignatureImpl {
  const plaintext = createBuiltinSignatureMethods(fns).find((m) => m.name === 'PLAINTEXT')
  if (plaintext === undefined) throw new Error('PLAINTEXT is not a built-in method')
  return {
    name: `${fns.backend.name} backend`,
    sign(method, args) {
      const hmac = HMAC_HASHES[method]
      if (hmac) return fns.hmacSign(hmac, args.baseString, args.clientSecret, args.tokenSecret)
      const rsa = RSA_HASHES[method]
      if (rsa) return fns.rsaSign(rsa, args.baseString, requireKey(args.privateKey, method))
      if (method === 'PLAINTEXT') return plaintext.sign(args)
      throw new Error(`unknown method ${method}`)
    },
    verify(method, args) {
      const hmac = HMAC_HASHES[method]
      if (hmac) {
        return fns.hmacVerify(
          hmac,
          args.baseString,
          args.signature,
          args.clientSecret,
          args.tokenSecret,
        )
      }
      const rsa = RSA_HASHES[method]
      if (rsa) {
        return fns.rsaVerify(
          rsa,
          args.baseString,
          args.signature,
          requireKey(args.publicKey, method),
        )
      }
      if (method === 'PLAINTEXT') return plaintext.verify(args)
      throw new Error(`unknown method ${method}`)
    },
  }
}

/** The public per-method exports (`signHmacSha1`, `verifyRsaSha256`, ...). */
const publicExports: SignatureImpl = {
  name: 'public exports',
  async sign(method, a) {
    switch (method) {
      case 'HMAC-SHA1':
        return signHmacSha1(a.baseString, a.clientSecret, a.tokenSecret)
      case 'HMAC-SHA256':
        return signHmacSha256(a.baseString, a.clientSecret, a.tokenSecret)
      case 'HMAC-SHA512':
        return signHmacSha512(a.baseString, a.clientSecret, a.tokenSecret)
      case 'RSA-SHA1':
        return signRsaSha1(a.baseString, requireKey(a.privateKey, method))
      case 'RSA-SHA256':
        return signRsaSha256(a.baseString, requireKey(a.privateKey, method))
      case 'RSA-SHA512':
        return signRsaSha512(a.baseString, requireKey(a.privateKey, method))
      case 'PLAINTEXT':
        return signPlaintext(a.clientSecret, a.tokenSecret)
      default:
        throw new Error(`unknown method ${method}`)
    }
  },
  async verify(method, a) {
    switch (method) {
      case 'HMAC-SHA1':
        return verifyHmacSha1(a.baseString, a.signature, a.clientSecret, a.tokenSecret)
      case 'HMAC-SHA256':
        return verifyHmacSha256(a.baseString, a.signature, a.clientSecret, a.tokenSecret)
      case 'HMAC-SHA512':
        return verifyHmacSha512(a.baseString, a.signature, a.clientSecret, a.tokenSecret)
      case 'RSA-SHA1':
        return verifyRsaSha1(a.baseString, a.signature, requireKey(a.publicKey, method))
      case 'RSA-SHA256':
        return verifyRsaSha256(a.baseString, a.signature, requireKey(a.publicKey, method))
      case 'RSA-SHA512':
        return verifyRsaSha512(a.baseString, a.signature, requireKey(a.publicKey, method))
      case 'PLAINTEXT':
        return verifyPlaintext(a.signature, a.clientSecret, a.tokenSecret)
      default:
        throw new Error(`unknown method ${method}`)
    }
  },
}

/** The public registry of built-in methods (`builtinSignatureMethods`). */
const publicRegistry: SignatureImpl = {
  name: 'builtinSignatureMethods',
  sign(method, args) {
    const m = builtinSignatureMethods.find((x) => x.name === method)
    if (m === undefined) throw new Error(`unknown method ${method}`)
    return m.sign(args)
  },
  verify(method, args) {
    const m = builtinSignatureMethods.find((x) => x.name === method)
    if (m === undefined) throw new Error(`unknown method ${method}`)
    return m.verify(args)
  },
}

export const nodeFunctions: SignatureFunctions = createSignatureFunctions(nodeBackend)
export const webFunctions: SignatureFunctions = createSignatureFunctions(webBackend)

/**
 * Every implementation a signature vector must pass on: the node:crypto backend, the
 * WebCrypto backend (globalThis.crypto, present in Node 20), and the public exports (which
 * use the runtime's `#crypto` backend).
 */
export const signatureImpls: readonly SignatureImpl[] = [
  backendImpl(nodeFunctions),
  backendImpl(webFunctions),
  publicExports,
  publicRegistry,
]
