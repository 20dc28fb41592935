// A test-only server-side verifier: it rebuilds the signature base string from the request
// as received (RFC 5849 §3.4.1) with the public primitives and checks the signature with a
// method from a registry. It knows nothing about how the request was signed.
import {
  baseStringUri,
  bodyHash,
  collectParameters,
  getHeader,
  isFormContentType,
  normalizeParameters,
  type Param,
  type RsaPublicKey,
  SignatureMethodRegistry,
  signatureBaseString,
} from '@x/oauth1-core'

/** A request as a server receives it. */
export interface ReceivedRequest {
  readonly method: string
  /** Absolute URI as the client addressed it (a fragment, if any, is ignored). */
  readonly uri: string
  readonly headers?: Readonly<Record<string, string>> | undefined
  readonly body?: string | undefined
}

/** What the server knows about the client. */
export interface VerifierCredentials {
  readonly clientSecret?: string | undefined
  readonly tokenSecret?: string | undefined
  readonly publicKey?: string | RsaPublicKey | undefined
}

/** The pieces of a received request that the signature covers. */
export interface ExtractedRequest {
  readonly method: string
  readonly baseStringUri: string
  /** Every signed parameter (query, Authorization header without realm, form body), decoded. */
  readonly params: readonly Param[]
  /** The decoded `oauth_signature`. */
  readonly signature: string
  readonly signatureMethod: string
}

function single(params: readonly Param[], name: string): string {
  const values = params.filter((p) => p[0] === name)
  if (values.length !== 1) throw new Error(`expected exactly one ${name}, got ${values.length}`)
  return (values[0] as Param)[1]
}

/** Collects the signed parameters and pulls `oauth_signature` out. */
export function extractSignedRequest(request: ReceivedRequest): ExtractedRequest {
  const hash = request.uri.indexOf('#')
  const uri = hash === -1 ? request.uri : request.uri.slice(0, hash)
  const question = uri.indexOf('?')
  const all = collectParameters({
    uriQuery: question === -1 ? undefined : uri.slice(question + 1),
    body: request.body,
    headers: request.headers,
    excludeOauthSignature: false,
  })
  return {
    method: request.method,
    baseStringUri: baseStringUri(
      question === -1 ? uri : uri.slice(0, question),
      getHeader(request.headers, 'host'),
    ),
    params: all.filter((p) => p[0] !== 'oauth_signature'),
    signature: single(all, 'oauth_signature'),
    signatureMethod: single(all, 'oauth_signature_method'),
  }
}

/** The signature base string the server computes for an extracted request. */
export function rebuildBaseString(extracted: ExtractedRequest): string {
  return signatureBaseString(
    extracted.method,
    extracted.baseStringUri,
    normalizeParameters(extracted.params),
  )
}

/** Verifies an extracted (possibly tampered with) request. */
export function verifyExtracted(
  extracted: ExtractedRequest,
  credentials: VerifierCredentials,
  registry: SignatureMethodRegistry = new SignatureMethodRegistry(),
): Promise<boolean> {
  const method = registry.get(extracted.signatureMethod)
  if (method === undefined) throw new Error(`unknown method ${extracted.signatureMethod}`)
  return method.verify({
    baseString: rebuildBaseString(extracted),
    signature: extracted.signature,
    clientSecret: credentials.clientSecret,
    tokenSecret: credentials.tokenSecret,
    publicKey: credentials.publicKey,
  })
}

/**
 * Verifies a received request end to end: the signature, and `oauth_body_hash` when the
 * body is not a form.
 */
export async function verifyRequest(
  request: ReceivedRequest,
  credentials: VerifierCredentials,
  registry?: SignatureMethodRegistry,
): Promise<boolean> {
  const extracted = extractSignedRequest(request)
  if (!(await verifyExtracted(extracted, credentials, registry))) return false
  const hashes = extracted.params.filter((p) => p[0] === 'oauth_body_hash')
  if (hashes.length === 0) return true
  if (hashes.length > 1) return false
  if (isFormContentType(getHeader(request.headers, 'content-type'))) return false
  return (await bodyHash(request.body ?? '')) === (hashes[0] as Param)[1]
}
