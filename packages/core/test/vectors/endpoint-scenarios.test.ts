// Every `endpoint_scenarios` and `error_serialization` vector of the oauthlib vector file,
// run through our API, one test per vector id. Expectations come from the vector; where
// we differ from oauthlib by design, the difference is listed in DEVIATIONS (one table)
// and asserted as our behaviour.
//
// Generic rules (documented additions, asserted for every scenario rather than listed):
// - Every response we send carries `Cache-Control: no-store` (success and error alike).
// - Error bodies are `oauth_problem=…[&oauth_parameters_…][&oauth_acceptable_timestamps=…]
//   [&oauth_problem_advice=…]&error=…&error_description=…`: the `error` and
//   `error_description` are oauthlib's wherever the message is the same text.
// - Validating endpoints return `{ ok }` instead of `(valid, request)`: oauthlib's
//   `request_is_none` (a parse failure) is our `ok: false` with a 400; its `validator_log`
//   is our `checks` (`{}`, rejected before the deferred checks, is our `undefined`).
// - Turning `enforceTls` off announces itself once through the warning hook.
import {
  appendQueryParams,
  ConsumerKeyUnknownError,
  errorParams,
  errorResponse,
  InsecureTransportError,
  type OAuth1Error,
  type OAuth1ErrorCode,
  type OAuthResponse,
  ParameterRejectedError,
  SignatureMethodRejectedError,
} from '@x/oauth1-core'
import { Client } from '@x/oauth1-core/signature'
import { type Vector, vectorGroup } from '@x/oauth1-testkit'
import { describe, expect, it } from 'vitest'
import {
  type EndpointScenario,
  type RecordedCall,
  runScenario,
  type ScenarioEndpoint,
  type ScenarioRun,
  scenarioDefaults,
  scenarioProperties,
  scenarioReturns,
} from './scenario-driver.ts'
import { named } from './support.ts'

interface ErrorSerializationVector extends Vector {
  readonly error_class: string
  readonly description?: string
  readonly uri?: string
  readonly redirect_uri?: string
  readonly expected_urlencoded?: string
  readonly expected_default_status?: number
  readonly expected_uri?: string
}

const scenarios = vectorGroup<EndpointScenario>('endpoint_scenarios')
const errorVectors = vectorGroup<ErrorSerializationVector>('error_serialization')

/** What we do where oauthlib differs, as assertions. Absent fields follow the vector. */
interface OurBehaviour {
  /** HTTP status of our response (or of the rejection's response). */
  readonly status?: number
  /** `oauth_problem` of our error response. */
  readonly problem?: OAuth1ErrorCode
  /** `error` of our error response. */
  readonly error?: string
  /** `error_description` of our error response. */
  readonly description?: string
  /** Validating endpoints: our `ok`. */
  readonly accepts?: boolean
  /** Our `checks` (`null`: rejected before the deferred checks). */
  readonly checks?: Readonly<Record<string, boolean>> | null
  /** Our non-`check_*` validator calls, from oauthlib's. */
  readonly calls?: (oauthlib: readonly RecordedCall[]) => readonly RecordedCall[]
  /** Error serialisation: oauthlib fields we do not emit. */
  readonly omits?: readonly string[]
}

interface Deviation {
  /** The DESIGN decision (or documented API) behind the difference. */
  readonly decision: string
  /** What oauthlib does. */
  readonly oauthlib: string
  /** What we do. */
  readonly ours: string
  readonly expect: OurBehaviour
}

const D401 =
  'DESIGN "Errors": 401s carry WWW-Authenticate and an oauth_problem body; reference §7.9'
const OAUTHLIB_401 = '401 with no headers and no body'
const CLEAN_MESSAGES =
  'DESIGN "Style" and "Errors": clean messages, no Python reprs; reference §7.4'
const AZ_NO_THROW =
  'DESIGN "Protocol failures never throw out of an endpoint": the authorization step returns an error response; reference §7.8'
const AZ_GRANT_REALMS =
  'Our API (AuthorizationGrant.realms): without granted realms the verifier is bound to all realms of the request token, looked up with getRealms'
const withGetRealms = (calls: readonly RecordedCall[]): RecordedCall[] => {
  const [first, ...rest] = calls
  if (first?.[0] !== 'verify_request_token') throw new Error('expected verify_request_token first')
  return [first, ['get_realms', first[1]], ...rest]
}

/**
 * Every vector where our behaviour differs from oauthlib's, with the reason. The final
 * test checks that each id exists in the vector file and was exercised.
 */
const DEVIATIONS: Readonly<Record<string, Deviation>> = {
  'rt-method-not-allowed': {
    decision: CLEAN_MESSAGES,
    oauthlib: "400 invalid_signature_method, description embeds the repr ['HMAC-SHA1']",
    ours: '400 signature_method_rejected, a clean message; the accepted methods go in oauth_problem_advice',
    expect: {
      status: 400,
      problem: 'signature_method_rejected',
      description: 'Signature method RSA-SHA1 is not accepted.',
    },
  },
  'rt-method-unknown': {
    decision: CLEAN_MESSAGES,
    oauthlib: 'description embeds the repr of the allowed tuple',
    ours: '400 signature_method_rejected, a clean message; the accepted methods go in oauth_problem_advice',
    expect: {
      status: 400,
      problem: 'signature_method_rejected',
      description: 'Signature method HMAC-MD5 is not accepted.',
    },
  },
  'rt-ts-11-digits': {
    decision: 'DESIGN decision 4: ASCII digits only, no length rule, configurable window',
    oauthlib: "400 'Invalid timestamp size' (exactly 10 characters required)",
    ours: '400 timestamp_refused: the value is a valid integer but outside the 600 s window',
    expect: {
      status: 400,
      problem: 'timestamp_refused',
      description: 'Timestamp given is invalid, differ from allowed by over 600 seconds.',
    },
  },
  'rt-ts-9-digits': {
    decision: 'DESIGN decision 4: ASCII digits only, no length rule, configurable window',
    oauthlib: "400 'Invalid timestamp size' (exactly 10 characters required)",
    ours: '400 timestamp_refused: the value is a valid integer but outside the 600 s window',
    expect: {
      status: 400,
      problem: 'timestamp_refused',
      description: 'Timestamp given is invalid, differ from allowed by over 600 seconds.',
    },
  },
  'rt-realm-not-allowed': {
    decision: CLEAN_MESSAGES,
    oauthlib: "description embeds the reprs ['secret'] and ['photos', 'videos']",
    ours: '400 parameter_rejected (realm) with a clean message',
    expect: { status: 400, problem: 'parameter_rejected', description: 'Invalid realm secret.' },
  },
  'rt-nonce-replay': {
    decision: D401,
    oauthlib: OAUTHLIB_401,
    ours: '401 nonce_used with WWW-Authenticate',
    expect: { status: 401, problem: 'nonce_used' },
  },
  'rt-invalid-client': {
    decision: D401,
    oauthlib: OAUTHLIB_401,
    ours: '401 consumer_key_unknown with WWW-Authenticate (the dummy client still ran every check)',
    expect: { status: 401, problem: 'consumer_key_unknown' },
  },
  'rt-invalid-realms': {
    decision:
      'DESIGN "Errors": one table maps the problem to its status; a realm the client may not request is permission_denied (403)',
    oauthlib: OAUTHLIB_401,
    ours: '403 permission_denied',
    expect: { status: 403, problem: 'permission_denied' },
  },
  'rt-invalid-callback': {
    decision:
      'DESIGN "Errors": one table maps the problem to its status; a callback not allowed for the client is parameter_rejected (400)',
    oauthlib: OAUTHLIB_401,
    ours: '400 parameter_rejected (oauth_callback)',
    expect: { status: 400, problem: 'parameter_rejected' },
  },
  'rt-bad-signature': {
    decision: D401,
    oauthlib: OAUTHLIB_401,
    ours: '401 signature_invalid with WWW-Authenticate',
    expect: { status: 401, problem: 'signature_invalid' },
  },
  'rt-bad-signature-secret': {
    decision: D401,
    oauthlib: OAUTHLIB_401,
    ours: '401 signature_invalid with WWW-Authenticate',
    expect: { status: 401, problem: 'signature_invalid' },
  },
  'rt-multi-location': {
    decision: CLEAN_MESSAGES,
    oauthlib:
      "400 invalid_request whose description is a Python tuple repr with a typo ('signaturetype')",
    ours: '400 parameter_rejected with a clean message naming the places',
    expect: {
      status: 400,
      problem: 'parameter_rejected',
      description:
        'OAuth parameters must come from one place only, but were found in AUTH_HEADER, QUERY',
    },
  },
  'rt-duplicate-header': {
    decision: 'DESIGN decision 2: duplicates inside the Authorization header are rejected',
    oauthlib:
      'the header parser keeps the last oauth_nonce; the request runs every check and fails the signature (401)',
    ours: '400 parameter_rejected naming oauth_nonce, before any validator lookup',
    expect: {
      status: 400,
      problem: 'parameter_rejected',
      description: 'Duplicated parameter in Authorization header: oauth_nonce',
      checks: null,
      calls: () => [],
    },
  },
  'rt-non-oauth-authorization': {
    decision: 'DESIGN decision 3: malformed input is a 400 OAuth error, never an exception',
    oauthlib: "raises ValueError('Malformed authorization header') (HTTP 500 in frameworks)",
    ours: '400 parameter_rejected',
    expect: {
      status: 400,
      problem: 'parameter_rejected',
      error: 'invalid_request',
      description: 'The Authorization header does not use the OAuth scheme',
    },
  },
  'rt-bad-query-chars': {
    decision:
      'DESIGN decision 3 (no exception out of an endpoint); our form parser accepts printable characters such as [ ] (reference §8 #2)',
    oauthlib: 'raises ValueError for the characters [ ] in the query (HTTP 500 in frameworks)',
    ours: 'parses q=[1] as a signed parameter and processes the request normally: the vector signature (computed without q) fails, 401 signature_invalid',
    expect: {
      status: 401,
      problem: 'signature_invalid',
      checks: { client: true, realm: true, callback: true, signature: false },
      calls: () => nonCheckCalls(scenarioById('rt-bad-signature').expected_validator_calls),
    },
  },
  'rt-non-form-body-ignored': {
    decision: D401,
    oauthlib: OAUTHLIB_401,
    ours: '401 signature_invalid with WWW-Authenticate (the text/plain body is not signed)',
    expect: { status: 401, problem: 'signature_invalid' },
  },
  'at-nonce-replay': {
    decision: D401,
    oauthlib: OAUTHLIB_401,
    ours: '401 nonce_used with WWW-Authenticate',
    expect: { status: 401, problem: 'nonce_used' },
  },
  'at-invalid-client': {
    decision: D401,
    oauthlib: OAUTHLIB_401,
    ours: '401 consumer_key_unknown with WWW-Authenticate',
    expect: { status: 401, problem: 'consumer_key_unknown' },
  },
  'at-invalid-request-token': {
    decision: D401,
    oauthlib: OAUTHLIB_401,
    ours: '401 token_rejected with WWW-Authenticate',
    expect: { status: 401, problem: 'token_rejected' },
  },
  'at-invalid-verifier': {
    decision: D401,
    oauthlib: OAUTHLIB_401,
    ours: '401 verifier_invalid with WWW-Authenticate',
    expect: { status: 401, problem: 'verifier_invalid' },
  },
  'at-bad-signature': {
    decision: D401,
    oauthlib: OAUTHLIB_401,
    ours: '401 signature_invalid with WWW-Authenticate',
    expect: { status: 401, problem: 'signature_invalid' },
  },
  'at-signed-with-access-secret': {
    decision: D401,
    oauthlib: OAUTHLIB_401,
    ours: '401 signature_invalid with WWW-Authenticate',
    expect: { status: 401, problem: 'signature_invalid' },
  },
  'az-redirect': {
    decision: AZ_GRANT_REALMS,
    oauthlib: 'verify_request_token, save_verifier, get_redirect_uri (request.realms is None)',
    ours: 'the same response; get_realms(token) runs before save_verifier',
    expect: { calls: withGetRealms },
  },
  'az-redirect-existing-query': {
    decision: AZ_GRANT_REALMS,
    oauthlib: 'verify_request_token, save_verifier, get_redirect_uri',
    ours: 'the same response; get_realms(token) runs before save_verifier',
    expect: { calls: withGetRealms },
  },
  'az-oob': {
    decision: AZ_GRANT_REALMS,
    oauthlib: 'verify_request_token, save_verifier, get_redirect_uri',
    ours: 'the same response; get_realms(token) runs before save_verifier',
    expect: { calls: withGetRealms },
  },
  'az-http-allowed': {
    decision: AZ_GRANT_REALMS,
    oauthlib: 'verify_request_token, save_verifier, get_redirect_uri (no TLS check, as ours)',
    ours: 'the same response; get_realms(token) runs before save_verifier',
    expect: { calls: withGetRealms },
  },
  'az-realms-bad': {
    decision: AZ_NO_THROW,
    oauthlib: 'raises InvalidRequestError (400)',
    ours: 'returns the 400 parameter_rejected response, same error and description',
    expect: { status: 400, problem: 'parameter_rejected' },
  },
  'az-bad-token': {
    decision: `${AZ_NO_THROW}; an unknown token is token_rejected (401)`,
    oauthlib: 'raises InvalidClientError with status 400 and no description',
    ours: 'returns 401 token_rejected with WWW-Authenticate',
    expect: { status: 401, problem: 'token_rejected', description: 'Invalid or expired token' },
  },
  'az-missing-token': {
    decision: AZ_NO_THROW,
    oauthlib: 'raises InvalidRequestError (400)',
    ours: 'returns the 400 parameter_absent response, same error and description',
    expect: { status: 400, problem: 'parameter_absent' },
  },
  'az-get-realms-bad-token': {
    decision: `${AZ_NO_THROW}; an unknown token is token_rejected (401)`,
    oauthlib: 'raises InvalidClientError with status 400 and no description',
    ours: 'returns { ok: false } with a 401 token_rejected response',
    expect: { status: 401, problem: 'token_rejected', description: 'Invalid or expired token' },
  },
  'rs-plaintext-body-special-secret': {
    decision: 'DESIGN decision 1: oauth_* values from query and body are decoded once',
    oauthlib:
      'decodes the body oauth_signature twice, so PLAINTEXT with a secret that needs encoding fails',
    ours: 'accepts: the signature decodes once to sec%20ret&accesssecret, which verifies',
    expect: {
      accepts: true,
      checks: { client: true, resource_owner: true, realm: true, signature: true },
    },
  },
  'rs-non-oauth-authorization': {
    decision: 'DESIGN decision 3: malformed input is a 400 OAuth error, never an exception',
    oauthlib: "raises ValueError('Malformed authorization header') out of a bool-returning method",
    ours: '{ ok: false } with a 400 parameter_rejected response',
    expect: {
      status: 400,
      problem: 'parameter_rejected',
      error: 'invalid_request',
      description: 'The Authorization header does not use the OAuth scheme',
    },
  },
  'err-InvalidClientError': {
    decision:
      'DESIGN "Errors": InvalidClientError maps to consumer_key_unknown, a 401 (RFC 5849 §3.2) with a fixed message',
    oauthlib: 'error=invalid_client, default status 400, no description',
    ours: 'error=invalid_client, status 401, error_description "Unknown client credentials"',
    expect: { status: 401, description: 'Unknown client credentials' },
  },
  'err-with-uri': {
    decision:
      'DESIGN "Errors": our errors have no error_uri field (advice goes in oauth_problem_advice)',
    oauthlib: 'appends error_uri=https://docs.example.com/e',
    ours: 'emits error and error_description only',
    expect: { omits: ['error_uri'] },
  },
  'err-in-uri': {
    decision:
      'DESIGN "Errors": consumer_key_unknown carries a fixed message; errorParams leads with oauth_problem',
    oauthlib: 'appends error=invalid_client&error_description=Nope to the redirect URI',
    ours: 'appends oauth_problem=consumer_key_unknown&error=invalid_client&error_description=Unknown client credentials',
    expect: { description: 'Unknown client credentials' },
  },
}

/** Our problem for each deferred check of oauthlib's `validator_log`, per endpoint. */
const PROBLEM_OF_CHECK: Readonly<
  Record<
    Exclude<ScenarioEndpoint, 'AuthorizationEndpoint'>,
    Readonly<Record<string, OAuth1ErrorCode>>
  >
> = {
  RequestTokenEndpoint: {
    client: 'consumer_key_unknown',
    realm: 'permission_denied',
    callback: 'parameter_rejected',
    signature: 'signature_invalid',
  },
  AccessTokenEndpoint: {
    client: 'consumer_key_unknown',
    resource_owner: 'token_rejected',
    verifier: 'verifier_invalid',
    signature: 'signature_invalid',
  },
  ResourceEndpoint: {
    client: 'consumer_key_unknown',
    resource_owner: 'token_rejected',
    realm: 'permission_denied',
    signature: 'signature_invalid',
  },
  SignatureOnlyEndpoint: { client: 'consumer_key_unknown', signature: 'signature_invalid' },
}

/** Our problem, and the `oauth_parameters_*` value (from the request's protocol parameters). */
interface ProblemOfDescription {
  readonly problem: OAuth1ErrorCode
  readonly parameters?: string | ((oauthParams: readonly [string, string][]) => string)
}

/** The names sent more than once, as `oauth_parameters_rejected` lists them. */
function repeatedNames(oauthParams: readonly [string, string][]): string {
  const names = oauthParams.map(([name]) => name)
  return [...new Set(names.filter((name, i) => names.indexOf(name) !== i))].join('&')
}

/**
 * Our problem (and, where the parameters at fault are known, `oauth_parameters_*`) for each
 * oauthlib error description whose text we keep (reference §5.2–§5.5).
 */
function problemOfDescription(description: string, lifetime: number): ProblemOfDescription {
  const table: Readonly<Record<string, ProblemOfDescription>> = {
    'Only HTTPS connections are permitted.': { problem: 'insecure_transport' },
    'Missing mandatory OAuth parameters.': { problem: 'parameter_absent' },
    'Invalid OAuth version.': { problem: 'version_rejected' },
    'Timestamp must be an integer.': {
      problem: 'parameter_rejected',
      parameters: 'oauth_timestamp',
    },
    [`Timestamp given is invalid, differ from allowed by over ${lifetime} seconds.`]: {
      problem: 'timestamp_refused',
    },
    'Invalid client key format.': {
      problem: 'parameter_rejected',
      parameters: 'oauth_consumer_key',
    },
    'Invalid nonce format.': { problem: 'parameter_rejected', parameters: 'oauth_nonce' },
    'Missing callback URI.': { problem: 'parameter_absent', parameters: 'oauth_callback' },
    'Duplicate OAuth1 entries.': { problem: 'parameter_rejected', parameters: repeatedNames },
    'Missing resource owner.': { problem: 'parameter_absent', parameters: 'oauth_token' },
    'Invalid resource owner key format.': {
      problem: 'parameter_rejected',
      parameters: 'oauth_token',
    },
    'Missing verifier.': { problem: 'parameter_absent', parameters: 'oauth_verifier' },
    'Invalid verifier format.': { problem: 'parameter_rejected', parameters: 'oauth_verifier' },
    'User granted access to realms outside of what the client may request.': {
      problem: 'parameter_rejected',
      parameters: 'realm',
    },
  }
  const found = table[description]
  if (found === undefined) throw new Error(`no problem known for oauthlib's "${description}"`)
  return found
}

const exercised = new Set<string>()

function scenarioById(id: string): EndpointScenario {
  const found = scenarios.find((s) => s.id === id)
  if (found === undefined) throw new Error(`scenario ${id} not found`)
  return found
}

const isCheck = (call: RecordedCall): boolean => String(call[0]).startsWith('check_')
function nonCheckCalls(calls: readonly RecordedCall[]): RecordedCall[] {
  return calls.filter((c) => !isCheck(c))
}

function pairs(form: string): [string, string][] {
  return [...new URLSearchParams(form)]
}

function field(form: string, name: string): string | undefined {
  return new URLSearchParams(form).get(name) ?? undefined
}

/** The protocol parameters of the scenario's request, wherever they were sent. */
function requestOAuthParams(s: EndpointScenario): [string, string][] {
  const out: [string, string][] = []
  const authorization = Object.entries(s.request.headers).find(
    ([name]) => name.toLowerCase() === 'authorization',
  )?.[1]
  if (authorization?.startsWith('OAuth ')) {
    for (const m of authorization.matchAll(/(\w+)="([^"]*)"/g)) {
      out.push([m[1] as string, decodeURIComponent(m[2] as string)])
    }
  }
  const query = new URL(s.request.uri).search
  out.push(...pairs(query), ...pairs(s.request.body ?? ''))
  return out.filter(([name]) => name.startsWith('oauth_'))
}

const origin = (s: EndpointScenario): string => new URL(s.request.uri).origin

/** The error we expect, in our terms. */
interface ExpectedError {
  readonly status: number
  readonly problem: OAuth1ErrorCode
  readonly error: string | undefined
  readonly description: string | undefined
  readonly parameters: string | undefined
}

/** Asserts an error response: status, headers, and the form body. */
function expectErrorResponse(s: EndpointScenario, res: OAuthResponse, e: ExpectedError): void {
  expect(res.status).toBe(e.status)
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    'Cache-Control': 'no-store',
  }
  if (e.status === 401) headers['WWW-Authenticate'] = `OAuth realm="${origin(s)}"`
  expect(res.headers).toEqual(headers)
  const body = res.body ?? ''
  expect(pairs(body)[0]).toEqual(['oauth_problem', e.problem])
  const error = field(body, 'error')
  if (e.error === undefined) expect(error).toMatch(/^[a-z_]+$/)
  else expect(error).toBe(e.error)
  if (e.description !== undefined) expect(field(body, 'error_description')).toBe(e.description)
  if (e.parameters !== undefined) {
    const name =
      e.problem === 'parameter_absent' ? 'oauth_parameters_absent' : 'oauth_parameters_rejected'
    expect(field(body, name)).toBe(e.parameters)
  }
  if (e.problem === 'signature_method_rejected') {
    // The accepted methods go in the advice, not in a Python repr inside the description.
    const allowed = scenarioProperties(s).allowed_signature_methods
    expect(field(body, 'oauth_problem_advice')?.split(' ').slice(1)).toEqual(allowed)
  }
  if (e.problem === 'timestamp_refused') {
    // Decision 4: the refusal is computed from the window, whatever the value's length.
    const now = scenarioDefaults().clock_now_unix
    const lifetime = Number(scenarioProperties(s).timestamp_lifetime)
    const ts = Number(requestOAuthParams(s).find(([n]) => n === 'oauth_timestamp')?.[1])
    expect(Math.abs(now - ts)).toBeGreaterThan(lifetime)
    expect(field(body, 'oauth_acceptable_timestamps')).toBe(`${now - lifetime}-${now + lifetime}`)
  }
}

/** Expected error from an oauthlib error body or raised OAuth error, overlaid with ours. */
function fromOauthlibError(
  s: EndpointScenario,
  oauthlib: { status: number; error: string; description: string },
  ours: OurBehaviour | undefined,
): ExpectedError {
  const lifetime = Number(scenarioProperties(s).timestamp_lifetime)
  // Where we keep oauthlib's text, the text tells our problem and parameter.
  const known =
    ours?.description === undefined
      ? problemOfDescription(oauthlib.description, lifetime)
      : undefined
  const problem = ours?.problem ?? known?.problem
  if (problem === undefined) throw new Error(`${s.id}: no problem expected`)
  return {
    status: ours?.status ?? oauthlib.status,
    problem,
    error: ours?.error ?? oauthlib.error,
    description: ours?.description ?? oauthlib.description,
    parameters:
      known?.problem !== problem || known.parameters === undefined
        ? undefined
        : typeof known.parameters === 'string'
          ? known.parameters
          : known.parameters(requestOAuthParams(s)),
  }
}

/** Expected error where oauthlib says nothing (a bare 401, a False, an exception). */
function fromDeviation(s: EndpointScenario, ours: OurBehaviour | undefined): ExpectedError {
  if (ours?.status === undefined || ours.problem === undefined) {
    throw new Error(`${s.id}: oauthlib gives no reason here, so DEVIATIONS must name ours`)
  }
  return {
    status: ours.status,
    problem: ours.problem,
    error: ours.error,
    description: ours.description,
    parameters: undefined,
  }
}

/** The first deferred check that failed, as our problem. */
function problemOfLog(
  s: EndpointScenario,
  log: Readonly<Record<string, boolean>>,
): OAuth1ErrorCode {
  if (s.endpoint === 'AuthorizationEndpoint') throw new Error('no deferred checks here')
  const failed = Object.keys(log).find((k) => log[k] === false)
  const problem = failed === undefined ? undefined : PROBLEM_OF_CHECK[s.endpoint][failed]
  if (problem === undefined) throw new Error(`${s.id}: no failed check in ${JSON.stringify(log)}`)
  return problem
}

/**
 * What oauthlib's bare `False` stands for when a validating endpoint rejects a request
 * before the deferred checks (reference §5.6, §5.7), as our problem. Exactly one rule
 * must apply.
 */
function problemOfEarlyRejection(s: EndpointScenario): OAuth1ErrorCode {
  const props = scenarioProperties(s)
  const returns = scenarioReturns(s)
  const oauthParams = requestOAuthParams(s)
  const rules: [boolean, OAuth1ErrorCode][] = [
    [oauthParams.length === 0, 'parameter_absent'],
    [props.enforce_ssl === true && /^http:/i.test(s.request.uri), 'insecure_transport'],
    [s.expected_validator_calls.some((c) => isCheck(c) && c[3] === false), 'parameter_rejected'],
    [
      s.endpoint === 'ResourceEndpoint' &&
        oauthParams.length > 0 &&
        !oauthParams.some(([n]) => n === 'oauth_token'),
      'parameter_absent',
    ],
    [returns.validate_timestamp_and_nonce === false, 'nonce_used'],
  ]
  const applying = rules.filter(([applies]) => applies).map(([, problem]) => problem)
  if (applying.length !== 1) throw new Error(`${s.id}: ${applying.length} rejection rules apply`)
  return applying[0] as OAuth1ErrorCode
}

/** Our checks for oauthlib's `validator_log` (`{}` and `null`: none ran). */
function expectedChecks(
  log: Readonly<Record<string, boolean>> | null | undefined,
  ours: OurBehaviour | undefined,
): Readonly<Record<string, boolean>> | undefined {
  if (ours?.checks !== undefined) return ours.checks ?? undefined
  return log === null || log === undefined || Object.keys(log).length === 0 ? undefined : log
}

function expectChecks(
  actual: Readonly<Record<string, boolean>> | undefined,
  expected: Readonly<Record<string, boolean>> | undefined,
): void {
  expect(actual).toEqual(expected)
  // Same keys in the same order as oauthlib's log.
  if (expected !== undefined) expect(Object.keys(actual ?? {})).toEqual(Object.keys(expected))
}

/** A success response: oauthlib's status, headers and body, plus Cache-Control. */
function expectSuccess(
  res: OAuthResponse,
  e: { status: number; headers: Readonly<Record<string, string>>; body: string | null },
): void {
  expect(res.status).toBe(e.status)
  expect(res.headers).toEqual({ ...e.headers, 'Cache-Control': 'no-store' })
  expect(res.body).toBe(e.body ?? undefined)
}

function expectResponseOutcome(
  s: EndpointScenario,
  run: Extract<ScenarioRun, { kind: 'response' }>,
  ours: OurBehaviour | undefined,
): void {
  const e = s.expected
  if ('raises' in e) {
    const expected =
      e.raises === 'ValueError'
        ? fromDeviation(s, ours)
        : fromOauthlibError(
            s,
            {
              status: e.status_code ?? 400,
              error: e.error ?? '',
              description: e.description ?? '',
            },
            ours,
          )
    expectErrorResponse(s, run.response, expected)
    if (run.validation !== undefined) {
      expectChecks(run.validation.checks, expectedChecks(undefined, ours))
    }
    return
  }
  if (!('status' in e)) throw new Error(`${s.id}: unexpected expectation shape`)
  if (e.status === 200 || e.status === 302) {
    expectSuccess(run.response, e)
    if (run.validation !== undefined) {
      expect(run.validation.ok).toBe(true)
      expectChecks(run.validation.checks, expectedChecks(e.validator_log, ours))
    }
    return
  }
  const checks = expectedChecks(e.validator_log, ours)
  if (e.status === 400) {
    const body = e.body ?? ''
    const oauthlib = {
      status: 400,
      error: field(body, 'error') ?? '',
      description: field(body, 'error_description') ?? '',
    }
    expect(e.headers).toEqual({ 'Content-Type': 'application/x-www-form-urlencoded' })
    expectErrorResponse(s, run.response, fromOauthlibError(s, oauthlib, ours))
  } else {
    expect(e).toMatchObject({ status: 401, headers: {}, body: null })
    const expected = fromDeviation(s, ours)
    expectErrorResponse(s, run.response, expected)
    // The problem names the check that failed (or the replayed nonce).
    if (checks !== undefined) expect(expected.problem).toBe(problemOfLog(s, checks))
  }
  if (run.validation !== undefined) {
    expect(run.validation.ok).toBe(false)
    expectChecks(run.validation.checks, checks)
  }
}

function expectValidationOutcome(
  s: EndpointScenario,
  run: Extract<ScenarioRun, { kind: 'validation' }>,
  ours: OurBehaviour | undefined,
): void {
  const e = s.expected
  const result = run.result
  if ('raises' in e) {
    expect(result.ok).toBe(false)
    if (result.ok) return
    expectErrorResponse(s, result.response, fromDeviation(s, ours))
    expect(result.checks).toBeUndefined()
    return
  }
  if (!('valid' in e)) throw new Error(`${s.id}: unexpected expectation shape`)
  const checks = expectedChecks(e.validator_log, ours)
  expect(result.ok).toBe(ours?.accepts ?? e.valid)
  expectChecks(result.checks, checks)
  if (result.ok) return
  expect(result.response.status).toBe(result.error.status)
  expect(result.error.code).toBe(result.response.body?.match(/^oauth_problem=(\w+)/)?.[1])
  if (e.request_is_none) {
    // A parse failure: oauthlib returns no request; ours is a 400.
    expect(result.response.status).toBe(400)
    expect(field(result.response.body ?? '', 'error')).toBe('invalid_request')
  }
  const problem = checks === undefined ? problemOfEarlyRejection(s) : problemOfLog(s, checks)
  expect(result.error.code).toBe(problem)
  if (result.response.status === 401) {
    expect(result.response.headers['WWW-Authenticate']).toBe(`OAuth realm="${origin(s)}"`)
  }
}

function expectDetailsOutcome(
  s: EndpointScenario,
  run: Extract<ScenarioRun, { kind: 'details' }>,
  ours: OurBehaviour | undefined,
): void {
  const e = s.expected
  const result = run.result
  if ('raises' in e) {
    expect(result.ok).toBe(false)
    if (result.ok) return
    expectErrorResponse(
      s,
      result.response,
      fromOauthlibError(
        s,
        { status: e.status_code ?? 400, error: e.error ?? '', description: e.description ?? '' },
        ours,
      ),
    )
    return
  }
  if (!('realms' in e)) throw new Error(`${s.id}: unexpected expectation shape`)
  expect(result.ok).toBe(true)
  if (!result.ok) return
  expect(result.realms).toEqual(e.realms)
  expect(result.credentials).toEqual({ resourceOwnerKey: e.credentials.resource_owner_key })
}

/**
 * The validate_* / get_* / save_* / invalidate_* / verify_* sequence must be oauthlib's.
 * check_* calls may differ in number and order (our format policy is the validator's),
 * but every format check that failed in oauthlib must fail here too.
 */
function expectCalls(s: EndpointScenario, run: ScenarioRun, ours: OurBehaviour | undefined): void {
  const oauthlib = nonCheckCalls(s.expected_validator_calls)
  expect(nonCheckCalls(run.calls)).toEqual(ours?.calls?.(oauthlib) ?? oauthlib)
  for (const call of s.expected_validator_calls) {
    if (isCheck(call) && call[3] === false) expect(run.calls).toContainEqual(call)
  }
}

describe('endpoint_scenarios', () => {
  it.each(named(scenarios, (s) => `${s.id} (${s.endpoint}.${s.call})`))('%s', async (_, s) => {
    exercised.add(s.id)
    const ours = DEVIATIONS[s.id]?.expect
    const run = await runScenario(s)
    expectCalls(s, run, ours)
    // Turning TLS enforcement off announces itself once (DESIGN "Style").
    const insecure = scenarioProperties(s).enforce_ssl === false
    expect(run.warnings.map((w) => w.code)).toEqual(insecure ? ['insecure-transport'] : [])
    switch (run.kind) {
      case 'response':
        expectResponseOutcome(s, run, ours)
        break
      case 'validation':
        expectValidationOutcome(s, run, ours)
        break
      case 'details':
        expectDetailsOutcome(s, run, ours)
        break
    }
  })
})

/** Our error for each oauthlib error class. */
const ERROR_CLASSES: Readonly<Record<string, (description: string | undefined) => OAuth1Error>> = {
  InsecureTransportError: () => new InsecureTransportError(),
  InvalidRequestError: (description) => new ParameterRejectedError(description ?? ''),
  InvalidClientError: () => new ConsumerKeyUnknownError(),
  InvalidSignatureMethodError: (description) => new SignatureMethodRejectedError(description ?? ''),
}

const OAUTHLIB_FIELDS = new Set(['error', 'error_description', 'error_uri'])

describe('error_serialization', () => {
  it.each(named(errorVectors, (v) => `${v.id} (${v.error_class})`))('%s', (_, v) => {
    exercised.add(v.id)
    const ours = DEVIATIONS[v.id]?.expect
    const make = ERROR_CLASSES[v.error_class]
    if (make === undefined) throw new Error(`no mapping for ${v.error_class}`)
    const error = make(v.description)
    const params = errorParams(error)
    // Documented addition: the Problem Reporting code comes first.
    expect(params[0]).toEqual(['oauth_problem', error.code])

    /** oauthlib's pairs as we should emit them: our description, minus fields we lack. */
    const adjust = (expected: [string, string][]): [string, string][] => {
      const out = expected.filter(
        ([name]) =>
          !ours?.omits?.includes(name) &&
          !(name === 'error_description' && ours?.description !== undefined),
      )
      if (ours?.description !== undefined) {
        out.splice(out.findIndex(([name]) => name === 'error') + 1, 0, [
          'error_description',
          ours.description,
        ])
      }
      return out
    }

    if (v.expected_urlencoded !== undefined) {
      const expected = adjust(pairs(v.expected_urlencoded))
      expect(params.filter(([name]) => OAUTHLIB_FIELDS.has(name))).toEqual(expected)
    }
    for (const name of ours?.omits ?? []) {
      expect(params.some(([n]) => n === name)).toBe(false)
      const uri = v.uri
      if (uri !== undefined) expect(params.some(([, value]) => value.includes(uri))).toBe(false)
    }
    if (v.expected_default_status !== undefined) {
      const status = ours?.status ?? v.expected_default_status
      expect(error.status).toBe(status)
      expect(errorResponse(error).status).toBe(status)
    }
    if (v.expected_uri !== undefined) {
      const redirect = v.redirect_uri ?? ''
      const uri = appendQueryParams(redirect, errorParams(error))
      const appended = (u: string): [string, string][] => pairs(u.slice(redirect.length + 1))
      expect(uri.startsWith(`${redirect}&`)).toBe(true)
      expect(v.expected_uri.startsWith(`${redirect}&`)).toBe(true)
      expect(appended(uri)).toEqual([
        ['oauth_problem', error.code],
        ...adjust(appended(v.expected_uri)),
      ])
    }
  })
})

describe('beyond the vectors', () => {
  it('rt-bad-query-chars, signed with q=[1] included, is accepted (decision 3: processed normally)', async () => {
    const s = scenarioById('rt-bad-query-chars')
    const c = scenarioDefaults().signing_client
    const client = new Client({
      clientKey: c.client_key,
      clientSecret: c.client_secret,
      callbackUri: c.callback,
      nonce: c.nonce,
      timestamp: c.timestamp,
    })
    const signed = await client.sign(s.request.uri, { method: s.request.http_method })
    expect(signed.uri).toBe(s.request.uri)
    const run = await runScenario({ ...s, request: { ...s.request, headers: signed.headers } })
    expect(run.kind === 'response' && run.response.status).toBe(200)
    expect(nonCheckCalls(run.calls)).toEqual(
      nonCheckCalls(scenarioById('rt-valid').expected_validator_calls),
    )
  })

  // oauthlib rejects a request without any protocol parameter while parsing it (reference
  // §5.1 step 4), before the transport check (§5.2 T); DESIGN does not decide otherwise.
  // So the *-missing-all vectors, sent over plain http, keep their outcome.
  const missingAll = scenarios.filter((s) => s.id.endsWith('-missing-all'))
  it.each(named(missingAll, (s) => `${s.id} over http:// is still a parse failure`))(
    '%s',
    async (_, vector) => {
      const s: EndpointScenario = {
        ...vector,
        request: { ...vector.request, uri: vector.request.uri.replace(/^https:/, 'http:') },
      }
      expect(s.request.uri).toMatch(/^http:\/\//)
      expect(scenarioProperties(s).enforce_ssl).toBe(true)
      const run = await runScenario(s)
      const response =
        run.kind === 'response' ? run.response : run.result.ok ? undefined : run.result.response
      const lifetime = Number(scenarioProperties(s).timestamp_lifetime)
      const problem = problemOfDescription('Missing mandatory OAuth parameters.', lifetime).problem
      expect(response?.status).toBe(400)
      expect(pairs(response?.body ?? '')[0]).toEqual(['oauth_problem', problem])
      expect(field(response?.body ?? '', 'error_description')).toBe(
        'Missing mandatory OAuth parameters.',
      )
      expect(run.calls).toEqual([])
    },
  )
})

describe('the deviation table', () => {
  it('names only vectors that exist, and every one of them ran', () => {
    const ids = new Set([...scenarios, ...errorVectors].map((v) => v.id))
    expect(scenarios).toHaveLength(87)
    expect(errorVectors).toHaveLength(6)
    for (const id of Object.keys(DEVIATIONS)) {
      expect(ids.has(id), `${id} is not a vector`).toBe(true)
      expect(exercised.has(id), `${id} did not run`).toBe(true)
    }
    expect([...ids].filter((id) => !exercised.has(id))).toEqual([])
    for (const [id, d] of Object.entries(DEVIATIONS)) {
      expect(d.decision, id).not.toBe('')
      expect(d.oauthlib, id).not.toBe('')
      expect(d.ours, id).not.toBe('')
    }
  })
})
