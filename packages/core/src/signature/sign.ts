import { backend } from '#crypto'
import {
  createSignatureFunctions,
  hmacKey,
  type RsaPrivateKey,
  type RsaPublicKey,
  type SignatureFunctions,
} from './methods.js'
import { timingSafeEqual } from './timing-safe-equal.js'

/** The built-in functions on this runtime's crypto backend, chosen once at load. */
export const builtinFunctions: SignatureFunctions = createSignatureFunctions(backend)

/**
 * HMAC-SHA1 signature (RFC 5849 §3.4.2): HMAC over the base string with the key
 * `escape(clientSecret) & escape(tokenSecret)`, base64-encoded.
 *
 * @param baseString - The signature base string.
 * @param clientSecret - Client shared secret (empty when absent).
 * @param tokenSecret - Token shared secret (empty when absent).
 * @returns The base64 signature (not percent-encoded).
 * @example
 * ```ts
 * await signHmacSha1('GET&http%3A%2F%2Fexample.com%2F&', 'kd94hf93k423kf44', '')
 * ```
 */
export function signHmacSha1(
  baseString: string,
  clientSecret?: string | null,
  tokenSecret?: string | null,
): Promise<string> {
  return builtinFunctions.hmacSign('SHA-1', baseString, clientSecret, tokenSecret)
}

/**
 * HMAC-SHA256 signature: RFC 5849 §3.4.2 with SHA-256 (NetSuite, LTI 1.1 tools).
 *
 * @param baseString - The signature base string.
 * @param clientSecret - Client shared secret.
 * @param tokenSecret - Token shared secret.
 * @returns The base64 signature.
 * @example
 * ```ts
 * await signHmacSha256(baseString, 'secret', 'tokensecret')
 * ```
 */
export function signHmacSha256(
  baseString: string,
  clientSecret?: string | null,
  tokenSecret?: string | null,
): Promise<string> {
  return builtinFunctions.hmacSign('SHA-256', baseString, clientSecret, tokenSecret)
}

/**
 * HMAC-SHA512 signature: RFC 5849 §3.4.2 with SHA-512.
 *
 * @param baseString - The signature base string.
 * @param clientSecret - Client shared secret.
 * @param tokenSecret - Token shared secret.
 * @returns The base64 signature.
 * @example
 * ```ts
 * await signHmacSha512(baseString, 'secret', 'tokensecret')
 * ```
 */
export function signHmacSha512(
  baseString: string,
  clientSecret?: string | null,
  tokenSecret?: string | null,
): Promise<string> {
  return builtinFunctions.hmacSign('SHA-512', baseString, clientSecret, tokenSecret)
}

/**
 * Verifies an HMAC-SHA1 signature in constant time (RFC 5849 §3.4.2).
 *
 * @param baseString - The signature base string the server rebuilt.
 * @param signature - The decoded `oauth_signature` value.
 * @param clientSecret - Client shared secret.
 * @param tokenSecret - Token shared secret.
 * @returns `true` when the signature matches; never throws for a malformed signature.
 * @example
 * ```ts
 * await verifyHmacSha1(baseString, 'tR3+Ty81lMeYAr/Fid0kMTYa/WM=', 'kd94hf93k423kf44', 'pfkkdhi9sl3r4s00')
 * ```
 */
export function verifyHmacSha1(
  baseString: string,
  signature: string,
  clientSecret?: string | null,
  tokenSecret?: string | null,
): Promise<boolean> {
  return builtinFunctions.hmacVerify('SHA-1', baseString, signature, clientSecret, tokenSecret)
}

/**
 * Verifies an HMAC-SHA256 signature in constant time.
 *
 * @param baseString - The signature base string.
 * @param signature - The decoded `oauth_signature` value.
 * @param clientSecret - Client shared secret.
 * @param tokenSecret - Token shared secret.
 * @returns `true` when the signature matches.
 * @example
 * ```ts
 * await verifyHmacSha256(baseString, signature, 'secret', 'tokensecret')
 * ```
 */
export function verifyHmacSha256(
  baseString: string,
  signature: string,
  clientSecret?: string | null,
  tokenSecret?: string | null,
): Promise<boolean> {
  return builtinFunctions.hmacVerify('SHA-256', baseString, signature, clientSecret, tokenSecret)
}

/**
 * Verifies an HMAC-SHA512 signature in constant time.
 *
 * @param baseString - The signature base string.
 * @param signature - The decoded `oauth_signature` value.
 * @param clientSecret - Client shared secret.
 * @param tokenSecret - Token shared secret.
 * @returns `true` when the signature matches.
 * @example
 * ```ts
 * await verifyHmacSha512(baseString, signature, 'secret', 'tokensecret')
 * ```
 */
export function verifyHmacSha512(
  baseString: string,
  signature: string,
  clientSecret?: string | null,
  tokenSecret?: string | null,
): Promise<boolean> {
  return builtinFunctions.hmacVerify('SHA-512', baseString, signature, clientSecret, tokenSecret)
}

/**
 * RSA-SHA1 signature (RFC 5849 §3.4.3): RSASSA-PKCS1-v1_5 with SHA-1, base64-encoded.
 *
 * @param baseString - The signature base string.
 * @param privateKey - PEM (PKCS#1 `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY`; parsed once
 *   and cached) or a key from {@link importRsaPrivateKey}.
 * @returns The base64 signature.
 * @throws {SignatureMethodRejectedError} when the key is unusable.
 * @example
 * ```ts
 * await signRsaSha1(baseString, privateKeyPem)
 * ```
 */
export function signRsaSha1(
  baseString: string,
  privateKey: string | RsaPrivateKey,
): Promise<string> {
  return builtinFunctions.rsaSign('SHA-1', baseString, privateKey)
}

/**
 * RSA-SHA256 signature: RFC 5849 §3.4.3 with SHA-256 (Jira-style integrations).
 *
 * @param baseString - The signature base string.
 * @param privateKey - PEM private key or an imported key.
 * @returns The base64 signature.
 * @example
 * ```ts
 * await signRsaSha256(baseString, privateKeyPem)
 * ```
 */
export function signRsaSha256(
  baseString: string,
  privateKey: string | RsaPrivateKey,
): Promise<string> {
  return builtinFunctions.rsaSign('SHA-256', baseString, privateKey)
}

/**
 * RSA-SHA512 signature: RFC 5849 §3.4.3 with SHA-512.
 *
 * @param baseString - The signature base string.
 * @param privateKey - PEM private key or an imported key.
 * @returns The base64 signature.
 * @example
 * ```ts
 * await signRsaSha512(baseString, privateKeyPem)
 * ```
 */
export function signRsaSha512(
  baseString: string,
  privateKey: string | RsaPrivateKey,
): Promise<string> {
  return builtinFunctions.rsaSign('SHA-512', baseString, privateKey)
}

/**
 * Verifies an RSA-SHA1 signature (RFC 5849 §3.4.3).
 *
 * @param baseString - The signature base string.
 * @param signature - The decoded `oauth_signature` (base64).
 * @param publicKey - PEM (SPKI `PUBLIC KEY`, PKCS#1 `RSA PUBLIC KEY` or an X.509
 *   `CERTIFICATE`; parsed once and cached) or a key from {@link importRsaPublicKey}.
 * @returns `true` when valid; `false` for any malformed signature.
 * @throws {SignatureMethodRejectedError} when the key is unusable.
 * @example
 * ```ts
 * await verifyRsaSha1(baseString, signature, certificatePem)
 * ```
 */
export function verifyRsaSha1(
  baseString: string,
  signature: string,
  publicKey: string | RsaPublicKey,
): Promise<boolean> {
  return builtinFunctions.rsaVerify('SHA-1', baseString, signature, publicKey)
}

/**
 * Verifies an RSA-SHA256 signature.
 *
 * @param baseString - The signature base string.
 * @param signature - The decoded `oauth_signature` (base64).
 * @param publicKey - PEM public key or certificate, or an imported key.
 * @returns `true` when valid.
 * @example
 * ```ts
 * await verifyRsaSha256(baseString, signature, publicKeyPem)
 * ```
 */
export function verifyRsaSha256(
  baseString: string,
  signature: string,
  publicKey: string | RsaPublicKey,
): Promise<boolean> {
  return builtinFunctions.rsaVerify('SHA-256', baseString, signature, publicKey)
}

/**
 * Verifies an RSA-SHA512 signature.
 *
 * @param baseString - The signature base string.
 * @param signature - The decoded `oauth_signature` (base64).
 * @param publicKey - PEM public key or certificate, or an imported key.
 * @returns `true` when valid.
 * @example
 * ```ts
 * await verifyRsaSha512(baseString, signature, publicKeyPem)
 * ```
 */
export function verifyRsaSha512(
  baseString: string,
  signature: string,
  publicKey: string | RsaPublicKey,
): Promise<boolean> {
  return builtinFunctions.rsaVerify('SHA-512', baseString, signature, publicKey)
}

/**
 * Parses an RSA public key once (SPKI, PKCS#1 or X.509 certificate PEM) for repeated
 * verification.
 *
 * @param pem - PEM text.
 * @returns The imported key.
 * @throws {SignatureMethodRejectedError} when the key is unusable.
 * @example
 * ```ts
 * const key = await importRsaPublicKey(pem)
 * await verifyRsaSha256(baseString, signature, key)
 * ```
 */
export function importRsaPublicKey(pem: string): Promise<RsaPublicKey> {
  return builtinFunctions.importRsaPublicKey(pem)
}

/**
 * Parses an RSA private key once (PKCS#1 or PKCS#8 PEM; unencrypted) for repeated signing.
 *
 * @param pem - PEM text.
 * @returns The imported key.
 * @throws {SignatureMethodRejectedError} when the key is unusable.
 * @example
 * ```ts
 * const key = await importRsaPrivateKey(pem)
 * ```
 */
export function importRsaPrivateKey(pem: string): Promise<RsaPrivateKey> {
  return builtinFunctions.importRsaPrivateKey(pem)
}

/**
 * PLAINTEXT signature (RFC 5849 §3.4.4): `escape(clientSecret) & escape(tokenSecret)`.
 * Only safe over TLS.
 *
 * @param clientSecret - Client shared secret.
 * @param tokenSecret - Token shared secret.
 * @returns The signature (not percent-encoded as a whole).
 * @example
 * ```ts
 * signPlaintext('ja893SD9', 'xyz4992k83j47x0b') // 'ja893SD9&xyz4992k83j47x0b'
 * ```
 */
export function signPlaintext(clientSecret?: string | null, tokenSecret?: string | null): string {
  return hmacKey(clientSecret, tokenSecret)
}

/**
 * Verifies a PLAINTEXT signature in constant time (RFC 5849 §3.4.4).
 *
 * @param signature - The decoded `oauth_signature` value.
 * @param clientSecret - Client shared secret.
 * @param tokenSecret - Token shared secret.
 * @returns `true` when it matches.
 * @example
 * ```ts
 * verifyPlaintext('ja893SD9&', 'ja893SD9', '') // true
 * ```
 */
export function verifyPlaintext(
  signature: string,
  clientSecret?: string | null,
  tokenSecret?: string | null,
): boolean {
  return timingSafeEqual(hmacKey(clientSecret, tokenSecret), signature)
}

/**
 * The `oauth_body_hash` of a non-form body (OAuth Request Body Hash, draft-eaton):
 * base64 of the SHA-1 of the body bytes (UTF-8 for text).
 *
 * @param body - The exact body sent.
 * @returns The base64 hash.
 * @example
 * ```ts
 * await bodyHash('{"hello": "world"}') // '07CavjDP4u3/TungoUHJO/Wzr4c='
 * ```
 */
export function bodyHash(body: string | Uint8Array): Promise<string> {
  return builtinFunctions.bodyHash(body)
}
