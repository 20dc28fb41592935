import type { OAuthRequest, OAuthResponse } from '../request.js'
import type { RequestValidator } from '../validator.js'
import { defaultWarningHandler, once } from '../warnings.js'
import { AccessTokenEndpoint } from './access-token.js'
import {
  type AuthorizationDetails,
  AuthorizationEndpoint,
  type AuthorizationGrant,
} from './authorization.js'
import type { Credentials, EndpointOptions, RejectedRequest } from './base.js'
import { RequestTokenEndpoint } from './request-token.js'
import { type AuthorizedResourceRequest, ResourceEndpoint } from './resource.js'
import { SignatureOnlyEndpoint, type VerifiedRequest } from './signature-only.js'

/**
 * A whole provider: the request-token, authorization, access-token, resource and
 * signature-only endpoints on one validator and one set of options (composition, as
 * oauthlib's `WebApplicationServer`, plus the signature-only endpoint).
 *
 * @example
 * ```ts
 * const server = new WebApplicationServer(createRequestValidator({ clients, nonces, tokens }))
 * const res = await server.createRequestTokenResponse(req)
 * ```
 */
export class WebApplicationServer {
  readonly requestToken: RequestTokenEndpoint
  readonly authorization: AuthorizationEndpoint
  readonly accessToken: AccessTokenEndpoint
  readonly resource: ResourceEndpoint
  readonly signatureOnly: SignatureOnlyEndpoint

  constructor(validator: RequestValidator, options: EndpointOptions = {}) {
    // One handler for all five endpoints, so each warning is announced once.
    const shared: EndpointOptions = {
      ...options,
      onWarning: once(options.onWarning ?? defaultWarningHandler),
    }
    this.requestToken = new RequestTokenEndpoint(validator, shared)
    this.authorization = new AuthorizationEndpoint(validator, shared)
    this.accessToken = new AccessTokenEndpoint(validator, shared)
    this.resource = new ResourceEndpoint(validator, shared)
    this.signatureOnly = new SignatureOnlyEndpoint(validator, shared)
  }

  /** See {@link RequestTokenEndpoint.createRequestTokenResponse}. */
  createRequestTokenResponse(
    req: OAuthRequest,
    options?: { readonly credentials?: Credentials | undefined },
  ): Promise<OAuthResponse> {
    return this.requestToken.createRequestTokenResponse(req, options)
  }

  /** See {@link AuthorizationEndpoint.getRealmsAndCredentials}. */
  getRealmsAndCredentials(req: OAuthRequest): Promise<AuthorizationDetails | RejectedRequest> {
    return this.authorization.getRealmsAndCredentials(req)
  }

  /** See {@link AuthorizationEndpoint.createAuthorizationResponse}. */
  createAuthorizationResponse(
    req: OAuthRequest,
    grant?: AuthorizationGrant,
  ): Promise<OAuthResponse> {
    return this.authorization.createAuthorizationResponse(req, grant)
  }

  /** See {@link AuthorizationEndpoint.createDenialResponse}. */
  createDenialResponse(req: OAuthRequest): Promise<OAuthResponse> {
    return this.authorization.createDenialResponse(req)
  }

  /** See {@link AccessTokenEndpoint.createAccessTokenResponse}. */
  createAccessTokenResponse(
    req: OAuthRequest,
    options?: { readonly credentials?: Credentials | undefined },
  ): Promise<OAuthResponse> {
    return this.accessToken.createAccessTokenResponse(req, options)
  }

  /** See {@link ResourceEndpoint.validateProtectedResourceRequest}. */
  validateProtectedResourceRequest(
    req: OAuthRequest,
    options?: { readonly realms?: readonly string[] | undefined },
  ): Promise<AuthorizedResourceRequest | RejectedRequest> {
    return this.resource.validateProtectedResourceRequest(req, options)
  }

  /** See {@link SignatureOnlyEndpoint.validateRequest}. */
  validateRequest(req: OAuthRequest): Promise<VerifiedRequest | RejectedRequest> {
    return this.signatureOnly.validateRequest(req)
  }
}
