import {
  ConsumerKeyUnknownError,
  NonceUsedError,
  ParameterAbsentError,
  ParameterRejectedError,
  PermissionDeniedError,
  SignatureInvalidError,
} from '../errors.js'
import type { OAuthRequest, OAuthResponse } from '../request.js'
import { formResponse } from '../response.js'
import type { RequestTokenResponse } from '../validator.js'
import {
  assertCredentials,
  BaseEndpoint,
  type CheckLog,
  type Credentials,
  type FailureTable,
  firstFailure,
  type RejectedRequest,
  type ValidatedRequest,
} from './base.js'

const REQUEST_TOKEN_FAILURES: FailureTable = [
  ['client', () => new ConsumerKeyUnknownError()],
  ['signature', () => new SignatureInvalidError()],
  ['realm', () => new PermissionDeniedError('The client may not request these realms.')],
  [
    'callback',
    () =>
      new ParameterRejectedError('Callback URI not allowed for this client.', {
        parameters: ['oauth_callback'],
      }),
  ],
]

// The shape of a realm worth naming in a message: a word or a URL, not too long.
const REALM_NAME = /^[A-Za-z0-9._~:/-]{1,64}$/
/**
 * Issues temporary credentials (RFC 5849 §2.1), with oauthlib's checks in oauthlib's
 * order: transport, mandatory parameters, realms, callback, nonce; then the client,
 * realms, callback and signature checks all run (an unknown client is replaced by the
 * dummy client, so the work is the same) before the outcome is decided.
 *
 * @example
 * ```ts
 * const endpoint = new RequestTokenEndpoint(validator)
 * const res = await endpoint.createRequestTokenResponse(oauthRequest)
 * // 200 oauth_token=…&oauth_token_secret=…&oauth_callback_confirmed=true
 * ```
 */
export class RequestTokenEndpoint extends BaseEndpoint {
  /**
   * Validates the request and, if valid, creates and saves a request token.
   *
   * @param req - The neutral request.
   * @param options - `credentials`: extra fields for the response and `saveRequestToken`.
   * @returns The response to send; protocol failures are responses too, never exceptions.
   */
  async createRequestTokenResponse(
    req: OAuthRequest,
    options: { readonly credentials?: Credentials | undefined } = {},
  ): Promise<OAuthResponse> {
    const credentials = assertCredentials(options.credentials)
    const result = await this.validateRequestTokenRequest(req)
    if (!result.ok) return result.response
    return this.guardResponse(req, async () => {
      const token: RequestTokenResponse = {
        oauth_token: this.tokenGenerator(),
        oauth_token_secret: this.tokenGenerator(),
        oauth_callback_confirmed: 'true',
        ...credentials,
      }
      await this.validator.saveRequestToken(token, result.request)
      return formResponse(Object.entries(token))
    })
  }

  /**
   * The checks of {@link createRequestTokenResponse} without issuing a token.
   *
   * @param req - The neutral request.
   * @returns The parsed request, or the error and its response.
   */
  async validateRequestTokenRequest(
    req: OAuthRequest,
  ): Promise<ValidatedRequest | RejectedRequest> {
    return this.guard(req, async () => {
      const v = this.validator
      const r = this.parseRequest(req)
      this.checkTransportSecurity(r)
      this.checkMandatoryParameters(r)
      const clientKey = r.clientKey as string
      r.realms = r.realms.length > 0 ? r.realms : [...(await v.getDefaultRealms(clientKey, r))]
      if (!v.checkRealms(r.realms)) {
        // Named only when they look like realms: a value that ran into the next parameter
        // (a lost `&`) may carry that parameter.
        const named = r.realms.every((realm) => REALM_NAME.test(realm))
        throw new ParameterRejectedError(
          named ? `Invalid realm ${r.realms.join(' ')}.` : 'Invalid realm.',
          { parameters: ['realm'] },
        )
      }
      if (!r.redirectUri) {
        throw new ParameterAbsentError(['oauth_callback'], { message: 'Missing callback URI.' })
      }
      if (!(await this.checkNonce(r, { requestToken: undefined }))) throw new NonceUsedError()

      const client = await v.validateClientKey(clientKey, r)
      const key = client ? clientKey : v.dummyClient
      const checks: CheckLog = {
        client,
        realm: await v.validateRequestedRealms(key, r.realms, r),
        callback: await v.validateRedirectUri(key, r.redirectUri, r),
        signature: await this.checkSignature(r, key, undefined),
      }
      const failure = firstFailure(checks, REQUEST_TOKEN_FAILURES)
      if (failure !== undefined) return this.reject(failure, req, checks)
      return { ok: true as const, request: r, checks }
    })
  }
}
