const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
// Before the padding, the unused bits must be zero (RFC 4648 §3.5): otherwise several
// texts decode to the same bytes, and one valid RSA signature has valid variants.
const NON_CANONICAL = /(?:[^AQgw]==|[^AEIMQUYcgkosw048=]=)$/

type NativeBuffer = Uint8Array & { toString(encoding: 'base64'): string }
// Node's and Bun's Buffer decodes base64 natively, where `atob` and the two regular
// expressions cost several microseconds on an RSA signature in Node 20. Buffer's decoder
// is lenient (it skips what it does not know), but strictness comes back by encoding the
// bytes again: only canonical, padded standard base64 gives back the same text.
const NativeBuffer = (
  globalThis as { Buffer?: { from(text: string, encoding: 'base64'): NativeBuffer } }
).Buffer

/** Strict, canonical standard base64 (padded) to bytes; `undefined` when malformed. */
export function base64ToBytes(text: string): Uint8Array | undefined {
  if (NativeBuffer === undefined || typeof text !== 'string') return base64ToBytesPortable(text)
  const bytes = NativeBuffer.from(text, 'base64')
  return bytes.toString('base64') === text ? bytes : undefined
}

/**
 * {@link base64ToBytes} for runtimes without `Buffer` (workerd without Node
 * compatibility, browsers): the same results.
 *
 * @internal
 */
export function base64ToBytesPortable(text: string): Uint8Array | undefined {
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
