/**
 * Compares two strings in time that depends only on their length, never on where they
 * first differ. Strings of different lengths are unequal at once: a signature's length
 * is public (it follows from the method), its content is not.
 *
 * @param a - First string.
 * @param b - Second string.
 * @returns `true` when equal.
 * @example
 * ```ts
 * timingSafeEqual('abc', 'abc') // true
 * ```
 */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}
