import { ConsumerKeyUnknownError, NonceUsedError, SignatureInvalidError } from '../errors.js'
import type { OAuthRequest } from '../request.js'
import type { ValidationRequest } from '../validator.js'
import {
  BaseEndpoint,
  type CheckLog,
  type FailureTable,
  firstFailure,
  type RejectedRequest,
} from './base.js'

/** A request whose signature verified. */
export interface VerifiedRequest {
  readonly ok: true
  readonly clientKey: string
  /** `oauth_token`, if the request carried one (its secret was part of the key). */
  readonly token: string | undefined
  readonly realms: readonly string[]
  readonly request: ValidationRequest
  readonly checks: CheckLog
}

const SIGNATURE_FAILURES: FailureTable = [
  ['client', () => new ConsumerKeyUnknownError()],
  ['signature', () => new SignatureInvalidError()],
]

/**
 * Verifies a signed request without the token flow: two-legged OAuth and LTI 1.1
 * launches. The client must be known and the signature valid; if the request carries an
 * `oauth_token`, its secret is part of the key, as in oauthlib.
 *
 * @example
 * ```ts
 * const result = await new SignatureOnlyEndpoint(validator).validateRequest(req)
 * if (result.ok) console.log('launch from', result.clientKey)
 * ```
 */
export class SignatureOnlyEndpoint extends BaseEndpoint {
  /**
   * @param req - The neutral request.
   * @returns `{ ok: true, clientKey, … }` or `{ ok: false, error, response }`.
   */
  async validateRequest(req: OAuthRequest): Promise<VerifiedRequest | RejectedRequest> {
    return this.guard(req, async () => {
      const v = this.validator
      const r = this.parseRequest(req)
      this.checkTransportSecurity(r)
      this.checkMandatoryParameters(r)
      if (!(await this.checkNonce(r, {}))) throw new NonceUsedError()
      const clientKey = r.clientKey as string
      const client = await v.validateClientKey(clientKey, r)
      const key = client ? clientKey : v.dummyClient
      const token = r.resourceOwnerKey
      const checks: CheckLog = {
        client,
        signature: await this.checkSignature(
          r,
          key,
          token === undefined ? undefined : { kind: 'access', key: token },
        ),
      }
      const failure = firstFailure(checks, SIGNATURE_FAILURES)
      if (failure !== undefined) return this.reject(failure, req, checks)
      return { ok: true as const, clientKey, token, realms: r.realms, request: r, checks }
    })
  }
}
