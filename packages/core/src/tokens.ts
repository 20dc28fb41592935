import { backend } from '#crypto'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/**
 * A random token of ASCII letters and digits from the runtime's CSPRNG (uniform: bytes
 * above the largest multiple of 62 are rejected). 32 characters carry about 190 bits.
 *
 * @param length - Number of characters, default 32.
 * @returns The token.
 * @example
 * ```ts
 * generateToken() // e.g. 'Xq3…' (32 characters)
 * ```
 */
export function generateToken(length = 32): string {
  if (!Number.isInteger(length) || length < 1)
    throw new TypeError('length must be a positive integer')
  let out = ''
  while (out.length < length) {
    for (const byte of backend.randomBytes(length + 8)) {
      if (byte < 248 && out.length < length) out += ALPHABET[byte % 62]
    }
  }
  return out
}
