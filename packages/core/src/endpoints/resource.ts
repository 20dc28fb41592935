import {
  ConsumerKeyUnknownError,
  NonceUsedError,
  ParameterAbsentError,
  ParameterRejectedError,
  PermissionDeniedError,
  SignatureInvalidError,
  TokenRejectedError,
} from '../errors.js'
import type { OAuthRequest } from '../request.js'
import type { ValidationRequest } from '../validator.js'
import {
  BaseEndpoint,
  type CheckLog,
  type FailureTable,
  firstFailure,
  type RejectedRequest,
} from './base.js'

/** A protected-resource request that passed every check. */
export interface AuthorizedResourceRequest {
  readonly ok: true
  readonly clientKey: string
  /** The access token. */
  readonly token: string
  /** Who authorized the token, when the validator tells (`getTokenInfo`). */
  readonly resourceOwner: string | undefined
  /** Realms the token grants, when the validator tells; otherwise the realms required. */
  readonly realms: readonly string[]
  readonly request: ValidationRequest
  readonly checks: CheckLog
}

const RESOURCE_FAILURES: FailureTable = [
  ['client', () => new ConsumerKeyUnknownError()],
  ['resource_owner', () => new TokenRejectedError()],
  ['signature', () => new SignatureInvalidError()],
  [
    'realm',
    () =>
      new PermissionDeniedError(
        'The access token does not grant the realms this resource requires.',
      ),
  ],
]

/**
 * Guards protected resources (RFC 5849 §3): a request signed with client and token
 * credentials. The client, token, realm and signature checks all run before the outcome
 * is decided. Returns a result: the caller sends `response` on failure.
 *
 * @example
 * ```ts
 * const result = await new ResourceEndpoint(validator).validateProtectedResourceRequest(req, {
 *   realms: ['photos'],
 * })
 * if (!result.ok) return result.response // 400/401/403 with WWW-Authenticate
 * ```
 */
export class ResourceEndpoint extends BaseEndpoint {
  /**
   * @param req - The neutral request.
   * @param options - `realms` the resource requires (checked by `validateRealms`).
   * @returns `{ ok: true, clientKey, token, … }` or `{ ok: false, error, response }`.
   */
  async validateProtectedResourceRequest(
    req: OAuthRequest,
    options: { readonly realms?: readonly string[] | undefined } = {},
  ): Promise<AuthorizedResourceRequest | RejectedRequest> {
    return this.guard(req, async () => {
      const v = this.validator
      const r = this.parseRequest(req)
      this.checkTransportSecurity(r)
      this.checkMandatoryParameters(r)
      const token = r.resourceOwnerKey
      if (!token)
        throw new ParameterAbsentError(['oauth_token'], { message: 'Missing access token.' })
      if (!v.checkAccessToken(token)) {
        throw new ParameterRejectedError('Invalid access token format.', {
          parameters: ['oauth_token'],
        })
      }
      // Awaiting only real promises keeps a synchronous store's verification free of
      // extra microtasks (this is the hottest path of a provider).
      let fresh = this.checkNonce(r, { accessToken: token })
      if (fresh instanceof Promise) fresh = await fresh
      if (!fresh) throw new NonceUsedError()

      const clientKey = r.clientKey as string
      let client = v.validateClientKey(clientKey, r)
      if (client instanceof Promise) client = await client
      const key = client ? clientKey : v.dummyClient
      let resourceOwner = v.validateAccessToken(key, token, r)
      if (resourceOwner instanceof Promise) resourceOwner = await resourceOwner
      const tokenKey = resourceOwner ? token : v.dummyAccessToken
      let realm = v.validateRealms(key, tokenKey, r, { uri: req.url, realms: options.realms })
      if (realm instanceof Promise) realm = await realm
      const checks: CheckLog = {
        client,
        resource_owner: resourceOwner,
        realm,
        signature: await this.checkSignature(r, key, { kind: 'access', key: tokenKey }),
      }
      const failure = firstFailure(checks, RESOURCE_FAILURES)
      if (failure !== undefined) return this.reject(failure, req, checks)
      let info = v.getTokenInfo?.('access', token, r)
      if (info instanceof Promise) info = await info
      return {
        ok: true as const,
        clientKey,
        token,
        resourceOwner: info?.resourceOwner,
        realms: info?.realms ?? options.realms ?? [],
        request: r,
        checks,
      }
    })
  }
}
