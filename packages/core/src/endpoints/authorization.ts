import { ParameterAbsentError, ParameterRejectedError, TokenRejectedError } from '../errors.js'
import type { OAuthRequest, OAuthResponse } from '../request.js'
import { appendQueryParams, formResponse, redirectResponse } from '../response.js'
import type { ValidationRequest, VerifierResponse } from '../validator.js'
import { assertCredentials, BaseEndpoint, type Credentials, type RejectedRequest } from './base.js'

/** What the consent page needs to know about a request token. */
export interface AuthorizationDetails {
  readonly ok: true
  /** Realms bound to the request token. */
  readonly realms: readonly string[]
  /** oauthlib's credentials: `resourceOwnerKey` is the request token. */
  readonly credentials: { readonly resourceOwnerKey: string }
  /** The client that asked, when the validator tells (`getTokenInfo`). */
  readonly clientKey: string | undefined
  /** The callback, when the validator tells (`oob` for out-of-band). */
  readonly redirectUri: string | undefined
}

/** Options of {@link AuthorizationEndpoint.createAuthorizationResponse}. */
export interface AuthorizationGrant {
  /** Realms the user granted (must be within those bound to the token); default: all of them. */
  readonly realms?: readonly string[] | undefined
  /** Who approved; stored with the verifier so the access token is bound to this user. */
  readonly resourceOwner?: string | undefined
  /** Extra fields appended to the callback and passed to `saveVerifier`. */
  readonly credentials?: Credentials | undefined
}

/**
 * The resource owner authorization step (RFC 5849 §2.2). It is not signed: the
 * application authenticates the user, shows a consent page (using
 * {@link getRealmsAndCredentials}), then calls {@link createAuthorizationResponse} or
 * {@link createDenialResponse}, and sends the response (a redirect to the client's
 * callback, or a page for `oob` clients). Failures are responses, never exceptions.
 *
 * @example
 * ```ts
 * const az = new AuthorizationEndpoint(validator)
 * const details = await az.getRealmsAndCredentials(req) // GET: show consent
 * const res = await az.createAuthorizationResponse(req, { resourceOwner: 'alice' }) // POST: approve
 * ```
 */
export class AuthorizationEndpoint extends BaseEndpoint {
  /**
   * Looks up what a request token asks for.
   *
   * @param req - The request carrying `oauth_token` in the query or form body.
   * @returns Realms and the token, or the error and its response.
   */
  async getRealmsAndCredentials(
    req: OAuthRequest,
  ): Promise<AuthorizationDetails | RejectedRequest> {
    return this.guard(req, async () => {
      const { r, token } = await this.checkToken(req)
      const info = await this.validator.getTokenInfo?.('request', token, r)
      return {
        ok: true as const,
        realms: info?.realms ?? (await this.validator.getRealms(token, r)),
        credentials: { resourceOwnerKey: token },
        clientKey: info?.clientKey,
        redirectUri: info?.redirectUri,
      }
    })
  }

  /**
   * Records the user's approval: generates and saves a verifier bound to the token, then
   * redirects to the callback with `oauth_token` and `oauth_verifier` (or, for `oob`,
   * answers 200 with them form-encoded for the application to show).
   *
   * @param req - The request carrying `oauth_token`.
   * @param grant - Who approved, which realms, extra credentials.
   * @returns The response to send.
   */
  async createAuthorizationResponse(
    req: OAuthRequest,
    grant: AuthorizationGrant = {},
  ): Promise<OAuthResponse> {
    const credentials = assertCredentials(grant.credentials)
    return this.guardResponse(req, async () => {
      const v = this.validator
      const { r, token } = await this.checkToken(req)
      if (grant.realms !== undefined) {
        if (!(await v.verifyRealms(token, grant.realms, r))) {
          throw new ParameterRejectedError(
            'User granted access to realms outside of what the client may request.',
            { parameters: ['realm'] },
          )
        }
        r.realms = grant.realms
      } else {
        r.realms = await v.getRealms(token, r)
      }
      r.resourceOwner = grant.resourceOwner
      const verifier: VerifierResponse = {
        oauth_token: token,
        oauth_verifier: this.tokenGenerator(),
        ...credentials,
      }
      await v.saveVerifier(token, verifier, r)
      const params = Object.entries(verifier)
      const callback = await v.getRedirectUri(token, r)
      return callback === 'oob'
        ? formResponse(params)
        : redirectResponse(appendQueryParams(callback, params))
    })
  }

  /**
   * Records the user's refusal: the request token is invalidated and the client is sent
   * to its callback with `error=access_denied` and no verifier (for `oob`, a 200 with the
   * same fields form-encoded).
   *
   * @param req - The request carrying `oauth_token`.
   * @returns The response to send.
   */
  async createDenialResponse(req: OAuthRequest): Promise<OAuthResponse> {
    return this.guardResponse(req, async () => {
      const v = this.validator
      const { r, token } = await this.checkToken(req)
      const callback = await v.getRedirectUri(token, r)
      const info = await v.getTokenInfo?.('request', token, r)
      await v.invalidateRequestToken(info?.clientKey ?? '', token, r)
      const params: [string, string][] = [
        ['oauth_token', token],
        ['error', 'access_denied'],
      ]
      return callback === 'oob'
        ? formResponse(params)
        : redirectResponse(appendQueryParams(callback, params))
    })
  }

  private async checkToken(req: OAuthRequest): Promise<{ r: ValidationRequest; token: string }> {
    const r = this.parseRequest(req)
    const token = r.resourceOwnerKey
    if (r.oauthParams.length === 0) {
      throw new ParameterAbsentError(['oauth_token'], {
        message: 'Missing mandatory OAuth parameters.',
      })
    }
    if (!token)
      throw new ParameterAbsentError(['oauth_token'], {
        message: 'Missing mandatory parameter oauth_token.',
      })
    if (!(await this.validator.verifyRequestToken(token, r))) throw new TokenRejectedError()
    return { r, token }
  }
}

export type { RejectedRequest }
