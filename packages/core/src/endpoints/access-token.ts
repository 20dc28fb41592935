import {
  ConsumerKeyUnknownError,
  NonceUsedError,
  ParameterAbsentError,
  ParameterRejectedError,
  SignatureInvalidError,
  TokenRejectedError,
  VerifierInvalidError,
} from '../errors.js'
import type { OAuthRequest, OAuthResponse } from '../request.js'
import { formResponse } from '../response.js'
import type { AccessTokenResponse } from '../validator.js'
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

const ACCESS_TOKEN_FAILURES: FailureTable = [
  ['client', () => new ConsumerKeyUnknownError()],
  ['resource_owner', () => new TokenRejectedError()],
  ['signature', () => new SignatureInvalidError()],
  ['verifier', () => new VerifierInvalidError()],
]

/**
 * Exchanges an authorized request token and its verifier for token credentials
 * (RFC 5849 §2.3). oauthlib's checks in oauthlib's order; the client, request-token,
 * verifier and signature checks all run before the outcome is decided, with dummy
 * identifiers standing in for unknown ones. The request token is single-use: with a
 * validator that implements `exchangeRequestToken` (as `createRequestValidator` does),
 * the exchange is atomic, so concurrent attempts yield exactly one access token.
 *
 * @example
 * ```ts
 * const res = await new AccessTokenEndpoint(validator).createAccessTokenResponse(oauthRequest)
 * // 200 oauth_token=…&oauth_token_secret=…&oauth_authorized_realms=…
 * ```
 */
export class AccessTokenEndpoint extends BaseEndpoint {
  /**
   * Validates the request and, if valid, issues the access token.
   *
   * @param req - The neutral request.
   * @param options - `credentials`: extra response fields, also passed to the validator.
   * @returns The response; protocol failures are responses, never exceptions.
   */
  async createAccessTokenResponse(
    req: OAuthRequest,
    options: { readonly credentials?: Credentials | undefined } = {},
  ): Promise<OAuthResponse> {
    const credentials = assertCredentials(options.credentials)
    const result = await this.validateAccessTokenRequest(req)
    if (!result.ok) return result.response
    return this.guardResponse(req, async () => {
      const v = this.validator
      const r = result.request
      const clientKey = r.clientKey as string
      const requestToken = r.resourceOwnerKey as string
      const realms = await v.getRealms(requestToken, r)
      const token: AccessTokenResponse = {
        oauth_token: this.tokenGenerator(),
        oauth_token_secret: this.tokenGenerator(),
        oauth_authorized_realms: realms.join(' '),
        ...credentials,
      }
      r.realms = realms
      if (v.exchangeRequestToken !== undefined) {
        const exchanged = await v.exchangeRequestToken(
          { clientKey, requestToken, verifier: r.verifier as string, accessToken: token },
          r,
        )
        if (!exchanged) return this.errorResponse(new TokenRejectedError(), req)
      } else {
        await v.saveAccessToken(token, r)
        await v.invalidateRequestToken(clientKey, requestToken, r)
      }
      return formResponse(Object.entries(token))
    })
  }

  /**
   * The checks of {@link createAccessTokenResponse} without issuing a token.
   *
   * @param req - The neutral request.
   * @returns The parsed request, or the error and its response.
   */
  async validateAccessTokenRequest(req: OAuthRequest): Promise<ValidatedRequest | RejectedRequest> {
    return this.guard(req, async () => {
      const v = this.validator
      const r = this.parseRequest(req)
      this.checkTransportSecurity(r)
      this.checkMandatoryParameters(r)
      const token = r.resourceOwnerKey
      if (!token)
        throw new ParameterAbsentError(['oauth_token'], { message: 'Missing resource owner.' })
      if (!v.checkRequestToken(token)) {
        throw new ParameterRejectedError('Invalid resource owner key format.', {
          parameters: ['oauth_token'],
        })
      }
      if (!r.verifier)
        throw new ParameterAbsentError(['oauth_verifier'], { message: 'Missing verifier.' })
      if (!v.checkVerifier(r.verifier)) {
        throw new ParameterRejectedError('Invalid verifier format.', {
          parameters: ['oauth_verifier'],
        })
      }
      if (!(await this.checkNonce(r, { requestToken: token }))) throw new NonceUsedError()

      const clientKey = r.clientKey as string
      const client = await v.validateClientKey(clientKey, r)
      const key = client ? clientKey : v.dummyClient
      const resourceOwner = await v.validateRequestToken(key, token, r)
      const tokenKey = resourceOwner ? token : v.dummyRequestToken
      const checks: CheckLog = {
        client,
        resource_owner: resourceOwner,
        verifier: await v.validateVerifier(key, tokenKey, r.verifier, r),
        signature: await this.checkSignature(r, key, { kind: 'request', key: tokenKey }),
      }
      const failure = firstFailure(checks, ACCESS_TOKEN_FAILURES)
      if (failure !== undefined) return this.reject(failure, req, checks)
      return { ok: true as const, request: r, checks }
    })
  }
}
