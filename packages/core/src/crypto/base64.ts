const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
// Before the padding, the unused bits must be zero (RFC 4648 §3.5): otherwise several
// texts decode to the same bytes, and one valid RSA signature has valid variants.
const NON_CANONICAL = /(?:[^AQgw]==|[^AEIMQUYcgkosw048=]=)$/

/** Strict, canonical standard base64 (padded) to bytes; `undefined` when malformed. */
export function base64ToBytes(text: string): Uint8Array | undefined {
  if (!BASE64.test(text) || NON_CANONICAL.test(text)) return undefined
  const binary = atob(text)
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}

/** Bytes to standard base64 (padded). */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  const chunk = 0x8000
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk))
  }
  return btoa(binary)
}
