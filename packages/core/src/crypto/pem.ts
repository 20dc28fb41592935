import { SignatureMethodRejectedError } from '../errors.js'
import { base64ToBytes } from './base64.js'
import {
  assertSequence,
  DerError,
  pkcs8FromPkcs1,
  spkiFromCertificate,
  spkiFromPkcs1,
} from './der.js'

const PEM = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/

function unusable(what: string, cause?: unknown): SignatureMethodRejectedError {
  return new SignatureMethodRejectedError(`Unusable RSA ${what}`, {
    advice: 'the RSA key configured for this client cannot be used',
    cause,
  })
}

function decodePem(pem: string, what: string): { label: string; der: Uint8Array } {
  const match = PEM.exec(pem)
  if (match === null) throw unusable(what)
  const body = (match[2] as string).replace(/\s+/g, '')
  const der = base64ToBytes(body)
  if (der === undefined || der.length === 0) throw unusable(what)
  return { label: match[1] as string, der }
}

/**
 * Turns a PEM public key into SPKI DER: `PUBLIC KEY` (SPKI), `RSA PUBLIC KEY` (PKCS#1) or
 * `CERTIFICATE` (X.509, whose key is extracted).
 */
export function publicKeyPemToSpki(pem: string): Uint8Array {
  const { label, der } = decodePem(pem, 'public key')
  try {
    assertSequence(der)
    if (label === 'PUBLIC KEY') return der
    if (label === 'RSA PUBLIC KEY') return spkiFromPkcs1(der)
    if (label === 'CERTIFICATE') return spkiFromCertificate(der)
  } catch (cause) {
    if (cause instanceof DerError) throw unusable('public key', cause)
    throw cause
  }
  throw unusable(`public key (PEM label ${label})`)
}

/** Turns a PEM private key into PKCS#8 DER: `PRIVATE KEY` (PKCS#8) or `RSA PRIVATE KEY` (PKCS#1). */
export function privateKeyPemToPkcs8(pem: string): Uint8Array {
  const { label, der } = decodePem(pem, 'private key')
  try {
    assertSequence(der)
    if (label === 'PRIVATE KEY') return der
    if (label === 'RSA PRIVATE KEY') return pkcs8FromPkcs1(der)
  } catch (cause) {
    if (cause instanceof DerError) throw unusable('private key', cause)
    throw cause
  }
  throw unusable(`private key (PEM label ${label})`)
}

export { unusable as unusableKeyError }
