// Just enough DER to bring the RSA key formats providers meet (PKCS#1, SPKI, PKCS#8,
// X.509 certificates) to the two forms every crypto API imports: SPKI and PKCS#8.

const RSA_ALGORITHM_IDENTIFIER = Uint8Array.of(
  0x30,
  0x0d,
  0x06,
  0x09,
  0x2a,
  0x86,
  0x48,
  0x86,
  0xf7,
  0x0d,
  0x01,
  0x01,
  0x01,
  0x05,
  0x00,
)

interface DerElement {
  tag: number
  /** Index of the first content byte. */
  start: number
  /** Index after the last content byte. */
  end: number
  /** Index of the tag byte. */
  offset: number
}

export class DerError extends Error {}

function readElement(der: Uint8Array, offset: number, limit = der.length): DerElement {
  if (offset + 2 > limit) throw new DerError('truncated DER')
  const tag = der[offset] as number
  let length = der[offset + 1] as number
  let start = offset + 2
  if (length & 0x80) {
    const octets = length & 0x7f
    if (octets === 0 || octets > 4 || start + octets > limit) throw new DerError('bad DER length')
    length = 0
    for (let k = 0; k < octets; k++) length = length * 256 + (der[start + k] as number)
    start += octets
  }
  const end = start + length
  if (end > limit) throw new DerError('truncated DER')
  return { tag, start, end, offset }
}

function encodeLength(length: number): number[] {
  if (length < 0x80) return [length]
  const bytes: number[] = []
  for (let l = length; l > 0; l = Math.floor(l / 256)) bytes.unshift(l % 256)
  return [0x80 | bytes.length, ...bytes]
}

function wrap(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const length = parts.reduce((sum, p) => sum + p.length, 0)
  const header = [tag, ...encodeLength(length)]
  const out = new Uint8Array(header.length + length)
  out.set(header, 0)
  let at = header.length
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** Wraps a PKCS#1 `RSAPublicKey` into a SubjectPublicKeyInfo. */
export function spkiFromPkcs1(pkcs1: Uint8Array): Uint8Array {
  return wrap(0x30, RSA_ALGORITHM_IDENTIFIER, wrap(0x03, Uint8Array.of(0), pkcs1))
}

/** Wraps a PKCS#1 `RSAPrivateKey` into a PKCS#8 `PrivateKeyInfo`. */
export function pkcs8FromPkcs1(pkcs1: Uint8Array): Uint8Array {
  return wrap(0x30, Uint8Array.of(0x02, 0x01, 0x00), RSA_ALGORITHM_IDENTIFIER, wrap(0x04, pkcs1))
}

/** Extracts the SubjectPublicKeyInfo from an X.509 certificate (RFC 5280 §4.1). */
export function spkiFromCertificate(cert: Uint8Array): Uint8Array {
  const certificate = readElement(cert, 0)
  if (certificate.tag !== 0x30) throw new DerError('not a certificate')
  const tbs = readElement(cert, certificate.start, certificate.end)
  if (tbs.tag !== 0x30) throw new DerError('not a certificate')
  let at = tbs.start
  let element = readElement(cert, at, tbs.end)
  // [0] EXPLICIT version is optional.
  if (element.tag === 0xa0) {
    at = element.end
    element = readElement(cert, at, tbs.end)
  }
  // serialNumber, signature, issuer, validity, subject, then subjectPublicKeyInfo.
  for (let skip = 0; skip < 5; skip++) {
    at = element.end
    element = readElement(cert, at, tbs.end)
  }
  if (element.tag !== 0x30) throw new DerError('certificate has no public key')
  return cert.slice(element.offset, element.end)
}

/** Checks that DER bytes form exactly one well-formed top-level SEQUENCE. */
export function assertSequence(der: Uint8Array): void {
  const element = readElement(der, 0)
  if (element.tag !== 0x30 || element.end !== der.length) throw new DerError('not a DER SEQUENCE')
}
