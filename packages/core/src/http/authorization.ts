import type { AuthorizationEndpoint, AuthorizationGrant } from '../endpoints/authorization.js'
import type { OAuthRequest, OAuthResponse } from '../request.js'

/** The user's decision on a consent page: the grant, `false` for a denial, or a function of the request (its form). */
export type AuthorizationDecision =
  | AuthorizationGrant
  | false
  | ((req: OAuthRequest) => AuthorizationGrant | false | Promise<AuthorizationGrant | false>)

/**
 * Turns the user's decision into the authorization step's response (RFC 5849 §2.2): a
 * redirect to the client's callback with a verifier, or with `error=access_denied`
 * (a form-encoded 200 for `oob` clients). Every adapter's `completeAuthorization` sends this.
 *
 * @param endpoint - The authorization endpoint (or a `WebApplicationServer`'s).
 * @param req - The request carrying `oauth_token`.
 * @param decision - Approve (a grant), deny (`false`), or decide from the request.
 * @returns The response to send.
 * @example
 * ```ts
 * const res = await decideAuthorization(server.authorization, req, (r) =>
 *   new URLSearchParams(r.body).get('decision') === 'approve' ? { resourceOwner: 'alice' } : false,
 * )
 * ```
 */
export async function decideAuthorization(
  endpoint: Pick<AuthorizationEndpoint, 'createAuthorizationResponse' | 'createDenialResponse'>,
  req: OAuthRequest,
  decision: AuthorizationDecision,
): Promise<OAuthResponse> {
  const grant = typeof decision === 'function' ? await decision(req) : decision
  return grant === false
    ? endpoint.createDenialResponse(req)
    : endpoint.createAuthorizationResponse(req, grant)
}
