/**
 * The `oauth_problem` vocabulary of the OAuth Problem Reporting extension, plus the few
 * transport-level problems a provider must also report. The code is the wire value.
 */
export type OAuth1ErrorCode =
  | 'parameter_absent'
  | 'parameter_rejected'
  | 'version_rejected'
  | 'signature_method_rejected'
  | 'timestamp_refused'
  | 'nonce_used'
  | 'signature_invalid'
  | 'consumer_key_unknown'
  | 'token_rejected'
  | 'token_expired'
  | 'verifier_invalid'
  | 'permission_denied'
  | 'insecure_transport'
  | 'request_too_large'
  | 'temporarily_unavailable'

/**
 * The one table that maps a problem code to its HTTP status (RFC 5849 §3.2: 400 for a
 * malformed request, 401 when authentication fails). A refused timestamp is a 400, as
 * in oauthlib: the request is stale, not the credentials.
 */
export const OAUTH1_ERROR_STATUS: Readonly<Record<OAuth1ErrorCode, number>> = Object.freeze({
  parameter_absent: 400,
  parameter_rejected: 400,
  version_rejected: 400,
  signature_method_rejected: 400,
  timestamp_refused: 400,
  nonce_used: 401,
  signature_invalid: 401,
  consumer_key_unknown: 401,
  token_rejected: 401,
  token_expired: 401,
  verifier_invalid: 401,
  permission_denied: 403,
  insecure_transport: 400,
  request_too_large: 413,
  temporarily_unavailable: 503,
})

/**
 * oauthlib's `error` value for each problem, sent beside `oauth_problem` so clients
 * written against oauthlib providers keep working.
 */
export const OAUTHLIB_ERROR: Readonly<Record<OAuth1ErrorCode, string>> = Object.freeze({
  parameter_absent: 'invalid_request',
  parameter_rejected: 'invalid_request',
  version_rejected: 'invalid_request',
  signature_method_rejected: 'invalid_signature_method',
  timestamp_refused: 'invalid_request',
  nonce_used: 'invalid_client',
  signature_invalid: 'invalid_client',
  consumer_key_unknown: 'invalid_client',
  token_rejected: 'invalid_client',
  token_expired: 'invalid_client',
  verifier_invalid: 'invalid_client',
  permission_denied: 'access_denied',
  insecure_transport: 'insecure_transport_protocol',
  request_too_large: 'invalid_request',
  temporarily_unavailable: 'temporarily_unavailable',
})

/** Options shared by every {@link OAuth1Error}. */
export interface OAuth1ErrorOptions {
  /** Human-readable hint for the client (`oauth_problem_advice`). Never contains secrets. */
  readonly advice?: string | undefined
  /** Names of the parameters involved (`oauth_parameters_absent` / `_rejected`). */
  readonly parameters?: readonly string[] | undefined
  /** The underlying error, kept for logs; never serialised. */
  readonly cause?: unknown
}

/**
 * Base class of every protocol error this library raises. `code` is stable and is the
 * `oauth_problem` wire value; `status` comes from {@link OAUTH1_ERROR_STATUS}.
 *
 * @example
 * ```ts
 * try {
 *   unescape('%zz')
 * } catch (err) {
 *   if (err instanceof OAuth1Error && err.code === 'parameter_rejected') console.log(err.status) // 400
 * }
 * ```
 */
export class OAuth1Error extends Error {
  /** The `oauth_problem` value. */
  readonly code: OAuth1ErrorCode
  /** HTTP status for this problem. */
  readonly status: number
  /** `oauth_problem_advice`, if any. */
  readonly advice: string | undefined
  /** Parameter names involved, if any. */
  readonly parameters: readonly string[]

  constructor(code: OAuth1ErrorCode, message: string, options: OAuth1ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.code = code
    this.status = OAUTH1_ERROR_STATUS[code]
    this.advice = options.advice
    this.parameters = options.parameters ?? []
  }
}

/**
 * A required parameter is missing (`parameter_absent`, 400).
 *
 * @example
 * ```ts
 * throw new ParameterAbsentError(['oauth_nonce'])
 * ```
 */
export class ParameterAbsentError extends OAuth1Error {
  constructor(
    parameters: readonly string[],
    options: Omit<OAuth1ErrorOptions, 'parameters'> & { readonly message?: string } = {},
  ) {
    super('parameter_absent', options.message ?? `Missing parameter(s): ${parameters.join(', ')}`, {
      ...options,
      parameters,
    })
  }
}

/**
 * Input is malformed or not allowed: bad percent-encoding, a malformed Authorization
 * header, a duplicated or unsupported parameter (`parameter_rejected`, 400).
 *
 * @example
 * ```ts
 * throw new ParameterRejectedError('Duplicated parameter', { parameters: ['oauth_nonce'] })
 * ```
 */
export class ParameterRejectedError extends OAuth1Error {
  constructor(message: string, options: OAuth1ErrorOptions = {}) {
    super('parameter_rejected', message, options)
  }
}

/**
 * `oauth_version` is present and not `1.0` (RFC 5849 §3.1; `version_rejected`, 400).
 *
 * @example
 * ```ts
 * throw new VersionRejectedError()
 * ```
 */
export class VersionRejectedError extends OAuth1Error {
  constructor(options: OAuth1ErrorOptions = {}) {
    super('version_rejected', 'Invalid OAuth version.', options)
  }
}

/**
 * The signature method is unknown, not allowed, or cannot be used with the key material
 * available (for example an unusable RSA key) (`signature_method_rejected`, 400).
 *
 * @example
 * ```ts
 * throw new SignatureMethodRejectedError('Signature method HMAC-MD5 is not supported')
 * ```
 */
export class SignatureMethodRejectedError extends OAuth1Error {
  constructor(message: string, options: OAuth1ErrorOptions = {}) {
    super('signature_method_rejected', message, options)
  }
}

/**
 * The timestamp is malformed or outside the accepted window (`timestamp_refused`).
 *
 * @example
 * ```ts
 * throw new TimestampRefusedError('Timestamp outside the accepted window')
 * ```
 */
export class TimestampRefusedError extends OAuth1Error {
  /** The accepted range `[earliest, latest]` in seconds (`oauth_acceptable_timestamps`). */
  readonly acceptableTimestamps: readonly [number, number] | undefined
  constructor(
    message: string,
    options: OAuth1ErrorOptions & {
      readonly acceptableTimestamps?: readonly [number, number]
    } = {},
  ) {
    super('timestamp_refused', message, options)
    this.acceptableTimestamps = options.acceptableTimestamps
  }
}

/**
 * The nonce was already used with this timestamp and credentials (`nonce_used`, 401).
 *
 * @example
 * ```ts
 * throw new NonceUsedError()
 * ```
 */
export class NonceUsedError extends OAuth1Error {
  constructor(options: OAuth1ErrorOptions = {}) {
    super('nonce_used', 'Nonce already used', options)
  }
}

/**
 * The signature does not verify (`signature_invalid`, 401).
 *
 * @example
 * ```ts
 * throw new SignatureInvalidError()
 * ```
 */
export class SignatureInvalidError extends OAuth1Error {
  constructor(options: OAuth1ErrorOptions = {}) {
    super('signature_invalid', 'Invalid signature', options)
  }
}

/**
 * The client credentials are not recognised (`consumer_key_unknown`, 401).
 *
 * @example
 * ```ts
 * throw new ConsumerKeyUnknownError()
 * ```
 */
export class ConsumerKeyUnknownError extends OAuth1Error {
  constructor(options: OAuth1ErrorOptions = {}) {
    super('consumer_key_unknown', 'Unknown client credentials', options)
  }
}

/**
 * The token is unknown, of the wrong kind, revoked, or bound to another client
 * (`token_rejected`, 401).
 *
 * @example
 * ```ts
 * throw new TokenRejectedError()
 * ```
 */
export class TokenRejectedError extends OAuth1Error {
  constructor(options: OAuth1ErrorOptions = {}) {
    super('token_rejected', 'Invalid or expired token', options)
  }
}

/**
 * The token has expired (`token_expired`, 401).
 *
 * @example
 * ```ts
 * throw new TokenExpiredError()
 * ```
 */
export class TokenExpiredError extends OAuth1Error {
  constructor(options: OAuth1ErrorOptions = {}) {
    super('token_expired', 'Token expired', options)
  }
}

/**
 * The verifier is wrong or already used (`verifier_invalid`, 401).
 *
 * @example
 * ```ts
 * throw new VerifierInvalidError()
 * ```
 */
export class VerifierInvalidError extends OAuth1Error {
  constructor(options: OAuth1ErrorOptions = {}) {
    super('verifier_invalid', 'Invalid verifier', options)
  }
}

/**
 * The credentials are valid but do not grant what was asked, e.g. a realm
 * (`permission_denied`, 403).
 *
 * @example
 * ```ts
 * throw new PermissionDeniedError('Realm not granted')
 * ```
 */
export class PermissionDeniedError extends OAuth1Error {
  constructor(message = 'Permission denied', options: OAuth1ErrorOptions = {}) {
    super('permission_denied', message, options)
  }
}

/**
 * The request did not use TLS and the provider requires it (`insecure_transport`, 400).
 *
 * @example
 * ```ts
 * throw new InsecureTransportError()
 * ```
 */
export class InsecureTransportError extends OAuth1Error {
  constructor(options: OAuth1ErrorOptions = {}) {
    super('insecure_transport', 'Only HTTPS connections are permitted.', options)
  }
}

/**
 * A header, body or parameter list exceeds a configured limit (`request_too_large`).
 * The status is 413 for a body and 400 for headers or parameter counts.
 *
 * @example
 * ```ts
 * throw new RequestTooLargeError('Body exceeds 1048576 bytes')
 * ```
 */
export class RequestTooLargeError extends OAuth1Error {
  override readonly status: number
  constructor(message: string, options: OAuth1ErrorOptions & { readonly status?: 400 | 413 } = {}) {
    super('request_too_large', message, options)
    this.status = options.status ?? 413
  }
}

/**
 * A store could not answer (backend down or timed out). Endpoints turn it into a 503 with
 * `Retry-After` and accept nothing (fail closed).
 *
 * @example
 * ```ts
 * throw new StoreUnavailableError('redis: command timed out', { retryAfter: 1 })
 * ```
 */
export class StoreUnavailableError extends OAuth1Error {
  /** Seconds after which the client may retry. */
  readonly retryAfter: number
  constructor(
    message: string,
    options: OAuth1ErrorOptions & { readonly retryAfter?: number } = {},
  ) {
    super('temporarily_unavailable', message, options)
    this.retryAfter = options.retryAfter ?? 1
  }
}
