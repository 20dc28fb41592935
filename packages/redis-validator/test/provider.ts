// A provider on a store, and signed requests for it, made with the core's own Client.
import {
  AccessTokenEndpoint,
  AuthorizationEndpoint,
  Client,
  type ClientOptions,
  createOAuthRequest,
  createRequestValidator,
  type OAuthRequest,
  type OAuthResponse,
  parseForm,
  RequestTokenEndpoint,
  ResourceEndpoint,
} from '@x/oauth1-core'
import type { ConformingStore } from './store-conformance.ts'

export const ORIGIN = 'https://provider.example'

export interface Provider {
  readonly requestToken: RequestTokenEndpoint
  readonly authorization: AuthorizationEndpoint
  readonly accessToken: AccessTokenEndpoint
  readonly resource: ResourceEndpoint
}

export function provider(store: ConformingStore): Provider {
  const validator = createRequestValidator({
    clients: store,
    nonces: store,
    tokens: store,
    onWarning: () => {},
  })
  const options = { onWarning: () => {} }
  return {
    requestToken: new RequestTokenEndpoint(validator, options),
    authorization: new AuthorizationEndpoint(validator, options),
    accessToken: new AccessTokenEndpoint(validator, options),
    resource: new ResourceEndpoint(validator, options),
  }
}

/** Signs a request with the core's Client (a fresh nonce each time) and makes it neutral. */
export async function signed(
  client: ClientOptions,
  path: string,
  method = 'GET',
): Promise<OAuthRequest> {
  const url = `${ORIGIN}${path}`
  const out = await new Client(client).sign(url, { method })
  return createOAuthRequest({ method, url: out.uri, headers: out.headers, body: out.body })
}

export function form(res: OAuthResponse): Record<string, string> {
  return Object.fromEntries(parseForm(res.body ?? ''))
}

export interface Credentials {
  readonly token: string
  readonly secret: string
}

export const CLIENT = { clientKey: 'client-key-1', clientSecret: 'client-secret-1' } as const

/**
 * The three legs of RFC 5849 §2 against a provider: temporary credentials, approval by
 * `alice` (out of band), token credentials.
 */
export async function threeLegs(p: Provider): Promise<Credentials> {
  const temporary = form(
    await p.requestToken.createRequestTokenResponse(
      await signed({ ...CLIENT, callbackUri: 'oob' }, '/request_token', 'POST'),
    ),
  )
  if (temporary.oauth_token === undefined || temporary.oauth_token_secret === undefined) {
    throw new Error(`request token refused: ${JSON.stringify(temporary)}`)
  }
  const approval = await p.authorization.createAuthorizationResponse(
    createOAuthRequest({
      method: 'GET',
      url: `${ORIGIN}/authorize?oauth_token=${temporary.oauth_token}`,
    }),
    { resourceOwner: 'alice' },
  )
  const verifier = form(approval).oauth_verifier
  if (verifier === undefined) throw new Error(`approval refused: ${approval.body}`)
  const token = form(
    await p.accessToken.createAccessTokenResponse(
      await signed(
        {
          ...CLIENT,
          resourceOwnerKey: temporary.oauth_token,
          resourceOwnerSecret: temporary.oauth_token_secret,
          verifier,
        },
        '/access_token',
        'POST',
      ),
    ),
  )
  if (token.oauth_token === undefined || token.oauth_token_secret === undefined) {
    throw new Error(`access token refused: ${JSON.stringify(token)}`)
  }
  return { token: token.oauth_token, secret: token.oauth_token_secret }
}

/** A signed request for the protected resource `/photos`. */
export function photosRequest(credentials: Credentials): Promise<OAuthRequest> {
  return signed(
    { ...CLIENT, resourceOwnerKey: credentials.token, resourceOwnerSecret: credentials.secret },
    '/photos?size=original',
  )
}
