import type { OAuthRequest } from '../request.js'
import type { Param } from '../signature/encoding.js'
import type { RequestParameters } from '../signature/request-parameters.js'
import type { ValidationRequest } from '../validator.js'

/**
 * The {@link ValidationRequest} the endpoints hand to validators. It keeps the request's
 * parameters as parsed, so that the signature is checked over what the client sent
 * (and not over fields a validator may have changed), without encoding them again.
 * Not exported from the package.
 */
export class ParsedRequest implements ValidationRequest {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined
  readonly clientAddress: string | undefined
  readonly clientKey: string | undefined
  readonly resourceOwnerKey: string | undefined
  readonly nonce: string | undefined
  readonly timestamp: string | undefined
  readonly signatureMethod: string | undefined
  readonly signature: string | undefined
  readonly redirectUri: string | undefined
  readonly verifier: string | undefined
  realms: readonly string[]
  readonly oauthParams: readonly Param[]
  readonly signatureType: 'AUTH_HEADER' | 'QUERY' | 'BODY' | undefined
  resourceOwner: string | undefined
  readonly params: readonly Param[]
  /** Scratch space for the validator. */
  readonly state: Map<unknown, unknown>
  readonly #parameters: RequestParameters

  /**
   * @param req - The neutral request.
   * @param parameters - Its parameters, as read.
   * @param signatureType - Where the protocol parameters came from.
   * @param oauthParams - The protocol parameters (each name once).
   * @param realms - The realms asked for.
   */
  constructor(
    req: OAuthRequest,
    parameters: RequestParameters,
    signatureType: 'AUTH_HEADER' | 'QUERY' | 'BODY' | undefined,
    oauthParams: readonly Param[],
    realms: readonly string[],
  ) {
    let clientKey: string | undefined
    let token: string | undefined
    let nonce: string | undefined
    let timestamp: string | undefined
    let signatureMethod: string | undefined
    let signature: string | undefined
    let callback: string | undefined
    let verifier: string | undefined
    for (const [name, value] of oauthParams) {
      switch (name) {
        case 'oauth_consumer_key':
          clientKey = value
          break
        case 'oauth_token':
          token = value === '' ? undefined : value
          break
        case 'oauth_nonce':
          nonce = value
          break
        case 'oauth_timestamp':
          timestamp = value
          break
        case 'oauth_signature_method':
          signatureMethod = value
          break
        case 'oauth_signature':
          signature = value
          break
        case 'oauth_callback':
          callback = value
          break
        case 'oauth_verifier':
          verifier = value
          break
      }
    }
    this.method = req.method.toUpperCase()
    this.url = req.url
    this.headers = req.headers
    this.body = req.body
    this.clientAddress = req.clientAddress
    this.clientKey = clientKey
    this.resourceOwnerKey = token
    this.nonce = nonce
    this.timestamp = timestamp
    this.signatureMethod = signatureMethod
    this.signature = signature
    this.redirectUri = callback
    this.verifier = verifier
    this.realms = realms
    this.oauthParams = oauthParams
    this.signatureType = signatureType
    this.resourceOwner = undefined
    // Own data properties, all of them: a validator that copies the request (`{ ...r }`)
    // keeps every field of the contract.
    const params: Param[] = []
    for (const pair of parameters.query) if (pair[0] !== 'oauth_signature') params.push(pair)
    for (const pair of parameters.header) if (pair[0] !== 'oauth_signature') params.push(pair)
    for (const pair of parameters.body) if (pair[0] !== 'oauth_signature') params.push(pair)
    this.params = params
    this.state = new Map()
    this.#parameters = parameters
  }

  /** The signature base string of the request as received (RFC 5849 §3.4.1). */
  baseString(): string {
    return this.#parameters.baseString()
  }
}
