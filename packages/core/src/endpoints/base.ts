import {
  InsecureTransportError,
  OAuth1Error,
  ParameterAbsentError,
  ParameterRejectedError,
  SignatureMethodRejectedError,
  TimestampRefusedError,
  VersionRejectedError,
} from '../errors.js'
import {
  DEFAULT_LIMITS,
  enforceLimits,
  type OAuthRequest,
  type OAuthResponse,
  type RequestLimits,
} from '../request.js'
import { errorResponse } from '../response.js'
import { isOAuthAuthorizationHeader } from '../signature/authorization-header.js'
import {
  baseStringUri,
  normalizeParameters,
  signatureBaseString,
} from '../signature/base-string.js'
import { isFormContentType, type Param } from '../signature/encoding.js'
import { SignatureMethodRegistry } from '../signature/registry.js'
import { readParameters, tooManyParameters } from '../signature/request-parameters.js'
import { bodyHash } from '../signature/sign.js'
import { timingSafeEqual } from '../signature/timing-safe-equal.js'
import { generateToken } from '../tokens.js'
import type { Awaitable, RequestValidator, ValidationRequest } from '../validator.js'
import { defaultWarningHandler, once, type WarningHandler } from '../warnings.js'
import { ParsedRequest } from './parsed-request.js'

/** Options shared by every endpoint. */
export interface EndpointOptions {
  /** Clock in milliseconds since the epoch (default `Date.now`). */
  readonly now?: (() => number) | undefined
  /** Generates tokens, secrets and verifiers (default: 30 CSPRNG alphanumerics, about 178 bits). */
  readonly tokenGenerator?: (() => string) | undefined
  /** Known signature methods (default: the seven built-ins). */
  readonly signatureMethods?: SignatureMethodRegistry | undefined
  /** Input size limits (defaults: 8 KiB header, 1 MiB body, 100 parameters). */
  readonly limits?: RequestLimits | undefined
  /** Realm of the `WWW-Authenticate` challenge on 401s (default: the request's origin). */
  readonly realm?: string | undefined
  /** Receives one-time warnings about insecure settings (default `console.warn`). */
  readonly onWarning?: WarningHandler | undefined
}

/** The outcome of the checks oauthlib defers to the end (its `validator_log`). */
export type CheckLog = Record<string, boolean>

/** A rejected request: the typed error and the response to send. */
export interface RejectedRequest {
  readonly ok: false
  readonly error: OAuth1Error
  readonly response: OAuthResponse
  /** The deferred checks that ran, when the request got that far. */
  readonly checks: CheckLog | undefined
}

/** Extra fields returned with a token and passed to the validator's save method. */
export type Credentials = Readonly<Record<string, string>>

/** Rejects credentials that would overwrite protocol fields (oauthlib lets them). */
export function assertCredentials(credentials: Credentials | undefined): Credentials {
  if (credentials === undefined) return {}
  for (const name of Object.keys(credentials)) {
    if (name.startsWith('oauth_')) {
      throw new TypeError(`credentials may not set protocol fields (${name})`)
    }
  }
  return credentials
}

/** Deferred checks in reporting order, each with the error it reports when it fails. */
export type FailureTable = readonly (readonly [check: string, error: () => OAuth1Error])[]

/** The first failed deferred check, as the error to report. */
export function firstFailure(checks: CheckLog, table: FailureTable): OAuth1Error | undefined {
  for (const [name, make] of table) if (checks[name] === false) return make()
  return undefined
}

/** A request that passed every check of a token endpoint. */
export interface ValidatedRequest {
  readonly ok: true
  readonly request: ValidationRequest
  readonly checks: CheckLog
}

/** The base string of a request: as parsed when it came from an endpoint's parser. */
function baseStringOf(r: ValidationRequest): string {
  return r instanceof ParsedRequest
    ? r.baseString()
    : signatureBaseString(r.method, baseStringUri(r.url), normalizeParameters(r.params))
}

// The shape of a signature method's name (HMAC-SHA256, RSA-SHA1, PLAINTEXT, HMAC-MD5).
const METHOD_NAME = /^[A-Za-z][A-Za-z0-9_.+-]{0,31}$/

const NO_REALMS: readonly string[] = Object.freeze([])

/** A protocol parameter's value (each is sent once: duplicates were refused). */
function protocolValue(r: ValidationRequest, name: string): string | undefined {
  for (const pair of r.oauthParams) if (pair[0] === name) return pair[1]
  return undefined
}

const ORIGIN = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*)/

function hasOauthParam(params: readonly Param[]): boolean {
  for (const [name] of params) if (name.startsWith('oauth_')) return true
  return false
}

/** The request's origin as the challenge realm, when it is safe in a header. */
function defaultRealm(url: string): string {
  const origin = ORIGIN.exec(url)?.[1] ?? ''
  // The URL is request input: no control or non-ASCII character may reach a header.
  return /^[\x20-\x7e]*$/.test(origin) ? origin : ''
}

function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase()
  return /^127(?:\.\d{1,3}){3}$/.test(h) || h === '[::1]' || h === '::1'
}

function hostOf(url: string): string {
  const authority = ORIGIN.exec(url)?.[1]?.replace(/^[^:]*:\/\//, '') ?? ''
  const at = authority.lastIndexOf('@')
  const hostPort = at === -1 ? authority : authority.slice(at + 1)
  if (hostPort.startsWith('[')) return hostPort.slice(0, hostPort.indexOf(']') + 1)
  const colon = hostPort.indexOf(':')
  return colon === -1 ? hostPort : hostPort.slice(0, colon)
}

/**
 * The pipeline every endpoint shares (oauthlib's `BaseEndpoint`): parse the request into
 * a {@link ValidationRequest}, check transport and mandatory parameters, verify the
 * signature. Not exported from the package: use the concrete endpoints.
 */
export class BaseEndpoint {
  readonly validator: RequestValidator
  protected readonly now: () => number
  protected readonly tokenGenerator: () => string
  protected readonly signatureMethods: SignatureMethodRegistry
  protected readonly limits: typeof DEFAULT_LIMITS
  protected readonly realm: string | undefined
  protected readonly warn: WarningHandler

  constructor(validator: RequestValidator, options: EndpointOptions = {}) {
    if (validator === null || typeof validator !== 'object') {
      throw new TypeError('An endpoint needs a RequestValidator')
    }
    this.validator = validator
    this.now = options.now ?? Date.now
    // 30 characters, oauthlib's length, so oauthlib-style format checks accept our tokens.
    this.tokenGenerator = options.tokenGenerator ?? (() => generateToken(30))
    this.signatureMethods = options.signatureMethods ?? new SignatureMethodRegistry()
    const limits = options.limits ?? {}
    this.limits = {
      maxAuthorizationHeaderLength:
        limits.maxAuthorizationHeaderLength ?? DEFAULT_LIMITS.maxAuthorizationHeaderLength,
      maxBodyBytes: limits.maxBodyBytes ?? DEFAULT_LIMITS.maxBodyBytes,
      maxParameters: limits.maxParameters ?? DEFAULT_LIMITS.maxParameters,
    }
    this.realm = options.realm
    this.warn = once(options.onWarning ?? defaultWarningHandler)
    if (!validator.enforceTls) {
      this.warn({
        code: 'insecure-transport',
        message: 'enforceTls is off: requests over plain HTTP are accepted',
      })
    }
    if (validator.allowPlaintextWithoutNonce) {
      this.warn({
        code: 'plaintext-without-nonce',
        message:
          'PLAINTEXT requests without nonce and timestamp are accepted: no replay protection for them',
      })
    }
  }

  /** Turns an error into the response to send (503 for a store outage, fail closed). */
  protected errorResponse(error: OAuth1Error, req: OAuthRequest): OAuthResponse {
    return errorResponse(error, { realm: this.realm ?? defaultRealm(req.url) })
  }

  protected reject(error: OAuth1Error, req: OAuthRequest, checks?: CheckLog): RejectedRequest {
    return { ok: false, error, response: this.errorResponse(error, req), checks }
  }

  /** Whether the request came over TLS, or over an exempted loopback connection. */
  protected isSecureTransport(req: OAuthRequest): boolean {
    if (/^https:\/\//i.test(req.url)) return true
    if (!this.validator.enforceTls) return true
    return this.isExemptLoopback(req)
  }

  private isExemptLoopback(req: OAuthRequest): boolean {
    if (!this.validator.allowInsecureLoopback || !isLoopbackHost(hostOf(req.url))) return false
    const peer = req.clientAddress
    return peer === undefined || isLoopbackHost(peer.replace(/^::ffff:/, ''))
  }

  /**
   * Parses the request (RFC 5849 §3.5): protocol parameters from exactly one of the
   * Authorization header, the form body or the query; no repeats; the signed parameter
   * list of §3.4.1.3.
   *
   * @throws {OAuth1Error} for malformed or oversized input.
   */
  protected parseRequest(req: OAuthRequest): ParsedRequest {
    enforceLimits(req, this.limits)
    const authorization = req.headers.authorization
    if (
      authorization !== undefined &&
      authorization !== '' &&
      !isOAuthAuthorizationHeader(authorization)
    ) {
      throw new ParameterRejectedError('The Authorization header does not use the OAuth scheme', {
        advice: 'send protocol parameters as Authorization: OAuth …',
      })
    }
    const parameters = readParameters(
      req.method,
      req.url,
      authorization,
      req.headers['content-type'],
      req.body,
      this.limits.maxParameters,
    )
    const queryParams = parameters.query
    const headerParams = parameters.header
    const bodyParams = parameters.body
    if (queryParams.length + headerParams.length + bodyParams.length > this.limits.maxParameters) {
      throw tooManyParameters(this.limits.maxParameters)
    }

    const inHeader = hasOauthParam(headerParams)
    const inBody = hasOauthParam(bodyParams)
    const inQuery = hasOauthParam(queryParams)
    if ((inHeader ? 1 : 0) + (inBody ? 1 : 0) + (inQuery ? 1 : 0) > 1) {
      const places = [inHeader && 'AUTH_HEADER', inBody && 'BODY', inQuery && 'QUERY'].filter(
        (place) => place !== false,
      )
      throw new ParameterRejectedError(
        `OAuth parameters must come from one place only, but were found in ${places.join(', ')}`,
        {
          advice:
            'send every oauth_* parameter in the Authorization header, or all in the query, or all in the body',
        },
      )
    }
    const signatureType = inHeader ? 'AUTH_HEADER' : inBody ? 'BODY' : inQuery ? 'QUERY' : undefined
    const source = inHeader ? headerParams : inBody ? bodyParams : inQuery ? queryParams : []
    const oauthParams: Param[] = []
    let duplicates: string[] | undefined
    for (const pair of source) {
      const name = pair[0]
      if (!name.startsWith('oauth_')) continue
      // A handful of protocol parameters: a linear scan beats a Set.
      for (const seen of oauthParams) {
        if (seen[0] === name) {
          duplicates ??= []
          duplicates.push(name)
          break
        }
      }
      oauthParams.push(pair)
    }
    if (duplicates !== undefined) {
      throw new ParameterRejectedError('Duplicate OAuth1 entries.', { parameters: duplicates })
    }

    let realm = parameters.realm
    if (realm === undefined) {
      for (const [n, v] of queryParams) if (n === 'realm') realm = v
      for (const [n, v] of bodyParams) if (n === 'realm') realm = v
    }

    return new ParsedRequest(
      req,
      parameters,
      signatureType,
      oauthParams,
      realm === undefined ? NO_REALMS : realm.split(' ').filter((r) => r !== ''),
    )
  }

  /**
   * TLS unless disabled or an exempted loopback (RFC 5849 §3.4.4, §4.1). A request without
   * any protocol parameter is rejected first: oauthlib fails it while parsing, before its
   * transport check.
   */
  protected checkTransportSecurity(r: ValidationRequest): void {
    if (r.oauthParams.length === 0) {
      throw new ParameterAbsentError(
        ['oauth_consumer_key', 'oauth_signature_method', 'oauth_signature'],
        { message: 'Missing mandatory OAuth parameters.' },
      )
    }
    if (!this.isSecureTransport(r)) throw new InsecureTransportError()
  }

  /**
   * The cheap checks that run before any lookup (oauthlib's `_check_mandatory_parameters`):
   * presence, method, version, timestamp, identifier formats; PLAINTEXT only over TLS.
   *
   * @throws {OAuth1Error} on the first failure.
   */
  protected checkMandatoryParameters(r: ValidationRequest): void {
    const v = this.validator
    const plaintext = r.signatureMethod === 'PLAINTEXT'
    const nonceOptional =
      plaintext &&
      v.allowPlaintextWithoutNonce &&
      r.nonce === undefined &&
      r.timestamp === undefined
    if (
      !r.signature ||
      !r.clientKey ||
      !r.signatureMethod ||
      (!nonceOptional && (!r.nonce || !r.timestamp))
    ) {
      const missing: string[] = []
      if (!r.signature) missing.push('oauth_signature')
      if (!r.clientKey) missing.push('oauth_consumer_key')
      if (!r.signatureMethod) missing.push('oauth_signature_method')
      if (!nonceOptional) {
        if (!r.nonce) missing.push('oauth_nonce')
        if (!r.timestamp) missing.push('oauth_timestamp')
      }
      throw new ParameterAbsentError(missing, { message: 'Missing mandatory OAuth parameters.' })
    }
    const method = r.signatureMethod as string
    if (!v.allowedSignatureMethods.includes(method) || !this.signatureMethods.has(method)) {
      const accepted = v.allowedSignatureMethods.filter((m) => this.signatureMethods.has(m))
      // Named in the message only when it looks like a method name: a value that ran into
      // the next parameter (a lost separator) may hold that parameter, a verifier say.
      const named = METHOD_NAME.test(method) ? `Signature method ${method}` : 'The signature method'
      throw new SignatureMethodRejectedError(`${named} is not accepted.`, {
        advice: `accepted: ${accepted.join(' ')}`,
      })
    }
    const version = protocolValue(r, 'oauth_version')
    if (version !== undefined && version !== '1.0') {
      throw new VersionRejectedError()
    }
    if (!nonceOptional) {
      const ts = r.timestamp as string
      if (!/^[0-9]+$/.test(ts)) {
        throw new ParameterRejectedError('Timestamp must be an integer.', {
          parameters: ['oauth_timestamp'],
        })
      }
      const nowSeconds = Math.floor(this.now() / 1000)
      const lifetime = v.timestampLifetime
      if (Math.abs(nowSeconds - Number(ts)) > lifetime) {
        throw new TimestampRefusedError(
          `Timestamp given is invalid, differ from allowed by over ${lifetime} seconds.`,
          { acceptableTimestamps: [nowSeconds - lifetime, nowSeconds + lifetime] },
        )
      }
    }
    if (!v.checkClientKey(r.clientKey as string)) {
      throw new ParameterRejectedError('Invalid client key format.', {
        parameters: ['oauth_consumer_key'],
      })
    }
    if (!nonceOptional && !v.checkNonce(r.nonce as string)) {
      throw new ParameterRejectedError('Invalid nonce format.', { parameters: ['oauth_nonce'] })
    }
    if (plaintext && !/^https:\/\//i.test(r.url) && !this.isExemptLoopback(r)) {
      throw new SignatureMethodRejectedError('PLAINTEXT is only accepted over TLS.', {
        advice: 'use HTTPS, or an HMAC or RSA method',
      })
    }
  }

  /**
   * Replay protection: the validator records the nonce; a used one is a 401. PLAINTEXT
   * requests without nonce and timestamp (when allowed) skip it.
   */
  protected checkNonce(
    r: ValidationRequest,
    tokens: {
      readonly requestToken?: string | undefined
      readonly accessToken?: string | undefined
    },
  ): Awaitable<boolean> {
    if (r.nonce === undefined && r.timestamp === undefined) return true
    return this.validator.validateTimestampAndNonce(
      r.clientKey as string,
      r.timestamp as string,
      r.nonce as string,
      r,
      tokens,
    )
  }

  /**
   * Verifies the signature (RFC 5849 §3.2), fetching the key material the method needs.
   * Also checks `oauth_body_hash` when present.
   *
   * @param clientKey - The client, or the dummy client.
   * @param token - The token whose secret signs, with its kind; `undefined` for none.
   */
  protected async checkSignature(
    r: ValidationRequest,
    clientKey: string,
    token: { readonly kind: 'request' | 'access'; readonly key: string } | undefined,
  ): Promise<boolean> {
    const v = this.validator
    const method = this.signatureMethods.get(r.signatureMethod as string)
    if (method === undefined) return false
    let clientSecret: string | undefined
    let tokenSecret: string | undefined
    let publicKey: Awaited<ReturnType<RequestValidator['getRsaKey']>> | undefined
    // Lookups are awaited only when they are promises: with a synchronous store a
    // verification then costs no extra microtasks.
    if (method.keyType === 'rsa') {
      const key = v.getRsaKey(clientKey, r)
      publicKey = key instanceof Promise ? await key : key
    } else {
      const secret = v.getClientSecret(clientKey, r)
      clientSecret = secret instanceof Promise ? await secret : secret
      if (token !== undefined) {
        const pending =
          token.kind === 'request'
            ? v.getRequestTokenSecret(clientKey, token.key, r)
            : v.getAccessTokenSecret(clientKey, token.key, r)
        tokenSecret = pending instanceof Promise ? await pending : pending
      }
    }
    const baseString = method.usesBaseString ? baseStringOf(r) : ''
    const valid = await method.verify({
      baseString,
      signature: r.signature as string,
      clientSecret,
      tokenSecret,
      publicKey,
    })
    const bodyHashValid = this.checkBodyHash(r)
    return (bodyHashValid instanceof Promise ? await bodyHashValid : bodyHashValid) && valid
  }

  private checkBodyHash(r: ValidationRequest): Awaitable<boolean> {
    const sent = protocolValue(r, 'oauth_body_hash')
    if (sent === undefined) return true
    if (isFormContentType(r.headers['content-type'])) {
      throw new ParameterRejectedError(
        'oauth_body_hash must not be sent with a form-encoded body',
        {
          parameters: ['oauth_body_hash'],
        },
      )
    }
    return bodyHash(r.body ?? '').then((hash) => timingSafeEqual(hash, sent))
  }

  /** Runs a step that produces a response, turning protocol errors into error responses. */
  protected async guardResponse(
    req: OAuthRequest,
    step: () => Promise<OAuthResponse>,
  ): Promise<OAuthResponse> {
    const result = await this.guard(req, step)
    return 'ok' in result ? result.response : result
  }

  /**
   * Runs a step and turns protocol errors into rejections. Other exceptions (a bug in a
   * validator) propagate unchanged.
   */
  protected async guard<T>(
    req: OAuthRequest,
    step: () => Promise<T>,
  ): Promise<T | RejectedRequest> {
    try {
      return await step()
    } catch (error) {
      if (error instanceof OAuth1Error) return this.reject(error, req)
      throw error
    }
  }
}
