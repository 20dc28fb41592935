// Runs one `endpoint_scenarios` vector of the oauthlib vector file through our endpoints,
// in the environment of the file's `scenario_defaults` (reference §0.3): a test
// RequestValidator built from the library defaults, the scenario defaults and the
// scenario's overrides, which records every call it receives; a fixed clock; a
// predictable token generator.
import {
  AccessTokenEndpoint,
  type AuthorizationDetails,
  AuthorizationEndpoint,
  type CheckLog,
  createOAuthRequest,
  type EndpointOptions,
  type OAuth1Warning,
  type OAuthRequest,
  type OAuthResponse,
  type RejectedRequest,
  RequestTokenEndpoint,
  type RequestValidator,
  ResourceEndpoint,
  SignatureOnlyEndpoint,
} from '@x/oauth1-core'
import { loadOauthlibVectors, type Vector, vectorKey } from '@x/oauth1-testkit'

/** A recorded validator call: `[snake_case_name, ...args]`, the request object left out. */
export type RecordedCall = readonly unknown[]

/** The oauthlib endpoint classes the scenarios name. */
export type ScenarioEndpoint =
  | 'RequestTokenEndpoint'
  | 'AuthorizationEndpoint'
  | 'AccessTokenEndpoint'
  | 'ResourceEndpoint'
  | 'SignatureOnlyEndpoint'

/** One `endpoint_scenarios` vector (reference §0.1, §0.2). */
export interface EndpointScenario extends Vector {
  readonly endpoint: ScenarioEndpoint
  readonly call:
    | 'create_request_token_response'
    | 'create_authorization_response'
    | 'get_realms_and_credentials'
    | 'create_access_token_response'
    | 'validate_protected_resource_request'
    | 'validate_request'
  readonly call_kwargs: {
    readonly credentials?: Readonly<Record<string, string>>
    readonly realms?: readonly string[]
  }
  readonly request: {
    readonly http_method: string
    readonly uri: string
    readonly headers: Readonly<Record<string, string>>
    readonly body: string | null
  }
  readonly validator: {
    readonly properties: Readonly<Record<string, unknown>>
    readonly returns: Readonly<Record<string, unknown>>
  }
  readonly expected: ScenarioExpected
  readonly expected_validator_calls: readonly RecordedCall[]
}

/** oauthlib's outcome (reference §0.2): a response, a validity, realms, or an exception. */
export type ScenarioExpected =
  | {
      readonly status: number
      readonly headers: Readonly<Record<string, string>>
      readonly body: string | null
      readonly validator_log?: Readonly<Record<string, boolean>>
    }
  | {
      readonly valid: boolean
      readonly request_is_none: boolean
      readonly validator_log: Readonly<Record<string, boolean>> | null
    }
  | {
      readonly realms: readonly string[]
      readonly credentials: Readonly<Record<string, string>>
    }
  | {
      readonly raises: string
      readonly error?: string
      readonly description?: string
      readonly status_code?: number
      readonly urlencoded?: string
      readonly message?: string
    }

/** The environment every scenario runs in (reference §0.3). */
export interface ScenarioDefaults {
  readonly clock_now_unix: number
  readonly validator_property_library_defaults: Readonly<Record<string, unknown>>
  readonly validator_properties: Readonly<Record<string, unknown>>
  readonly validator_returns: Readonly<Record<string, unknown>>
  /** The identities the scenario requests were signed with. */
  readonly signing_client: Readonly<Record<string, string>> & {
    readonly client_key: string
    readonly client_secret: string
    readonly callback: string
    readonly nonce: string
    readonly timestamp: string
  }
}

/** The file's `scenario_defaults`. */
export function scenarioDefaults(): ScenarioDefaults {
  return loadOauthlibVectors().scenario_defaults as unknown as ScenarioDefaults
}

/** Where each oauthlib validator property goes in our contract. */
const PROPERTY_NAMES: Readonly<Record<string, string>> = {
  allowed_signature_methods: 'allowedSignatureMethods',
  timestamp_lifetime: 'timestampLifetime',
  enforce_ssl: 'enforceTls',
  dummy_client: 'dummyClient',
  dummy_request_token: 'dummyRequestToken',
  dummy_access_token: 'dummyAccessToken',
  // Used by the default check_* implementations below, not properties of our contract.
  safe_characters: '',
  client_key_length: '',
  request_token_length: '',
  access_token_length: '',
  nonce_length: '',
  verifier_length: '',
  realms: '',
}

/** The scenario's validator properties: library defaults, scenario defaults, overrides. */
export function scenarioProperties(scenario: EndpointScenario): Record<string, unknown> {
  const defaults = scenarioDefaults()
  const merged: Record<string, unknown> = {
    ...defaults.validator_property_library_defaults,
    ...defaults.validator_properties,
    ...scenario.validator.properties,
  }
  for (const name of Object.keys(merged)) {
    if (!(name in PROPERTY_NAMES)) throw new Error(`${scenario.id}: unmapped property ${name}`)
  }
  return merged
}

/** The scenario's validator return values: defaults, then the scenario's overrides. */
export function scenarioReturns(scenario: EndpointScenario): Record<string, unknown> {
  return { ...scenarioDefaults().validator_returns, ...scenario.validator.returns }
}

/** `"a-z A-Z 0-9"` (oauthlib's `safe_characters`, as the file describes it) as a set. */
export function parseCharacterSet(description: string): ReadonlySet<string> {
  const set = new Set<string>()
  for (const part of description.split(' ')) {
    if (/^.-.$/u.test(part)) {
      for (let c = part.charCodeAt(0); c <= part.charCodeAt(2); c++) set.add(String.fromCharCode(c))
    } else {
      for (const c of part) set.add(c)
    }
  }
  return set
}

function lengthBounds(value: unknown, name: string): readonly [number, number] {
  if (
    !Array.isArray(value) ||
    value.length !== 2 ||
    typeof value[0] !== 'number' ||
    typeof value[1] !== 'number'
  ) {
    throw new Error(`property ${name} is not a [min, max] pair`)
  }
  return [value[0], value[1]]
}

function strings(value: unknown, name: string): readonly string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new Error(`${name} is not a list of strings`)
  }
  return value
}

function text(value: unknown, name: string): string {
  if (typeof value !== 'string') throw new Error(`${name} is not a string`)
  return value
}

function bool(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw new Error(`${name} is not a boolean`)
  return value
}

/** Object keys in snake_case, `undefined` as `null` (how the vectors print keyword args). */
function snakeKwargs(kwargs: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(kwargs)) {
    out[name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = value === undefined ? null : value
  }
  return out
}

/** A test validator, its call log and the warnings the endpoint announced. */
export interface ScenarioDriver {
  readonly validator: RequestValidator
  readonly calls: RecordedCall[]
  readonly warnings: OAuth1Warning[]
  readonly options: EndpointOptions
}

/**
 * Builds the scenario's validator (our `RequestValidator`, implemented directly) and the
 * endpoint options: clock at `clock_now_unix`, tokens `generatedtoken000001`, `…002`, …
 */
export function createScenarioDriver(scenario: EndpointScenario): ScenarioDriver {
  const props = scenarioProperties(scenario)
  const returns = scenarioReturns(scenario)
  const calls: RecordedCall[] = []
  const warnings: OAuth1Warning[] = []

  const answer = (name: string): unknown => {
    if (!(name in returns)) throw new Error(`${scenario.id}: no return value for ${name}`)
    return returns[name]
  }
  const record = <T>(name: string, args: readonly unknown[], result: T): T => {
    calls.push([name, ...args])
    return result
  }
  const returnBool = (name: string, ...args: unknown[]): boolean =>
    record(name, args, bool(answer(name), name))
  const returnText = (name: string, ...args: unknown[]): string =>
    record(name, args, text(answer(name), name))
  const returnList = (name: string, ...args: unknown[]): readonly string[] =>
    record(name, args, strings(answer(name), name))
  const returnNothing = (name: string, ...args: unknown[]): void => {
    if (answer(name) !== null) throw new Error(`${scenario.id}: ${name} should return None`)
    record(name, args, undefined)
  }

  const safe = parseCharacterSet(text(props.safe_characters, 'safe_characters'))
  const realms = strings(props.realms, 'realms')
  // oauthlib's default check_*: only safe characters, length within the bounds.
  const check =
    (name: string, lengthProperty: string) =>
    (value: string): boolean => {
      const [min, max] = lengthBounds(props[lengthProperty], lengthProperty)
      const ok = [...value].every((c) => safe.has(c)) && value.length >= min && value.length <= max
      calls.push([name, value, '->', ok])
      return ok
    }

  const validator: RequestValidator = {
    allowedSignatureMethods: strings(props.allowed_signature_methods, 'allowed_signature_methods'),
    timestampLifetime: props.timestamp_lifetime as number,
    enforceTls: bool(props.enforce_ssl, 'enforce_ssl'),
    allowInsecureLoopback: false,
    allowPlaintextWithoutNonce: false,
    dummyClient: text(props.dummy_client, 'dummy_client'),
    dummyRequestToken: text(props.dummy_request_token, 'dummy_request_token'),
    dummyAccessToken: text(props.dummy_access_token, 'dummy_access_token'),

    checkClientKey: check('check_client_key', 'client_key_length'),
    checkRequestToken: check('check_request_token', 'request_token_length'),
    checkAccessToken: check('check_access_token', 'access_token_length'),
    checkNonce: check('check_nonce', 'nonce_length'),
    checkVerifier: check('check_verifier', 'verifier_length'),
    checkRealms(requested) {
      const ok = requested.every((r) => realms.includes(r))
      calls.push(['check_realms', [...requested], '->', ok])
      return ok
    },

    getClientSecret: (clientKey) => returnText('get_client_secret', clientKey),
    getRequestTokenSecret: (clientKey, token) =>
      returnText('get_request_token_secret', clientKey, token),
    getAccessTokenSecret: (clientKey, token) =>
      returnText('get_access_token_secret', clientKey, token),
    getRsaKey: (clientKey) => vectorKey(returnText('get_rsa_key', clientKey)),
    getDefaultRealms: (clientKey) => returnList('get_default_realms', clientKey),
    getRealms: (token) => returnList('get_realms', token),
    getRedirectUri: (token) => returnText('get_redirect_uri', token),

    validateClientKey: (clientKey) => returnBool('validate_client_key', clientKey),
    validateRequestToken: (clientKey, token) =>
      returnBool('validate_request_token', clientKey, token),
    validateAccessToken: (clientKey, token) =>
      returnBool('validate_access_token', clientKey, token),
    validateTimestampAndNonce(clientKey, timestamp, nonce, _request, tokens) {
      const kwargs = snakeKwargs(tokens)
      const args = Object.keys(kwargs).length === 0 ? [] : [kwargs]
      return returnBool('validate_timestamp_and_nonce', clientKey, timestamp, nonce, ...args)
    },
    validateRedirectUri: (clientKey, redirectUri) =>
      returnBool('validate_redirect_uri', clientKey, redirectUri),
    validateRequestedRealms: (clientKey, requested) =>
      returnBool('validate_requested_realms', clientKey, [...requested]),
    validateRealms: (clientKey, token, _request, resource) =>
      returnBool('validate_realms', clientKey, token, snakeKwargs(resource)),
    validateVerifier: (clientKey, token, verifier) =>
      returnBool('validate_verifier', clientKey, token, verifier),
    verifyRequestToken: (token) => returnBool('verify_request_token', token),
    verifyRealms: (token, granted) => returnBool('verify_realms', token, [...granted]),

    saveRequestToken: (token) => returnNothing('save_request_token', { ...token }),
    saveVerifier: (token, verifier) => returnNothing('save_verifier', token, { ...verifier }),
    saveAccessToken: (token) => returnNothing('save_access_token', { ...token }),
    invalidateRequestToken: (clientKey, token) =>
      returnNothing('invalidate_request_token', clientKey, token),
  }

  let generated = 0
  const clock = scenarioDefaults().clock_now_unix * 1000
  const options: EndpointOptions = {
    now: () => clock,
    tokenGenerator: () => `generatedtoken${String(++generated).padStart(6, '0')}`,
    onWarning: (warning) => {
      warnings.push(warning)
    },
  }
  return { validator, calls, warnings, options }
}

/** The scenario's (already signed) request as our neutral request. */
export function scenarioRequest(scenario: EndpointScenario): OAuthRequest {
  const { http_method, uri, headers, body } = scenario.request
  return createOAuthRequest({ method: http_method, url: uri, headers, body })
}

/** What running a scenario through our API produced. */
export type ScenarioRun =
  | {
      /** A token endpoint or the authorization step: the response to send. */
      readonly kind: 'response'
      readonly response: OAuthResponse
      /**
       * Token endpoints: the outcome of the matching `validate*Request` on a fresh
       * driver (where the deferred checks are visible).
       */
      readonly validation:
        | { readonly ok: boolean; readonly checks: CheckLog | undefined }
        | undefined
      readonly calls: readonly RecordedCall[]
      readonly warnings: readonly OAuth1Warning[]
    }
  | {
      /** A validating endpoint: the result. */
      readonly kind: 'validation'
      readonly result:
        | { readonly ok: true; readonly checks: CheckLog; readonly realms: readonly string[] }
        | RejectedRequest
      readonly calls: readonly RecordedCall[]
      readonly warnings: readonly OAuth1Warning[]
    }
  | {
      /** `get_realms_and_credentials`. */
      readonly kind: 'details'
      readonly result: AuthorizationDetails | RejectedRequest
      readonly calls: readonly RecordedCall[]
      readonly warnings: readonly OAuth1Warning[]
    }

/** Runs the scenario's `call` with its `call_kwargs` on the matching endpoint. */
export async function runScenario(scenario: EndpointScenario): Promise<ScenarioRun> {
  const driver = createScenarioDriver(scenario)
  const { validator, options, calls, warnings } = driver
  const req = scenarioRequest(scenario)
  const kwargs = scenario.call_kwargs
  for (const name of Object.keys(kwargs)) {
    if (name !== 'credentials' && name !== 'realms') {
      throw new Error(`${scenario.id}: unmapped keyword argument ${name}`)
    }
  }
  const credentials = kwargs.credentials
  const realms = kwargs.realms

  switch (scenario.call) {
    case 'create_request_token_response': {
      const fresh = createScenarioDriver(scenario)
      const validation = await new RequestTokenEndpoint(
        fresh.validator,
        fresh.options,
      ).validateRequestTokenRequest(scenarioRequest(scenario))
      const response = await new RequestTokenEndpoint(
        validator,
        options,
      ).createRequestTokenResponse(req, { credentials })
      return { kind: 'response', response, validation, calls, warnings }
    }
    case 'create_access_token_response': {
      const fresh = createScenarioDriver(scenario)
      const validation = await new AccessTokenEndpoint(
        fresh.validator,
        fresh.options,
      ).validateAccessTokenRequest(scenarioRequest(scenario))
      const response = await new AccessTokenEndpoint(validator, options).createAccessTokenResponse(
        req,
        { credentials },
      )
      return { kind: 'response', response, validation, calls, warnings }
    }
    case 'create_authorization_response': {
      const response = await new AuthorizationEndpoint(
        validator,
        options,
      ).createAuthorizationResponse(req, { realms, credentials })
      return { kind: 'response', response, validation: undefined, calls, warnings }
    }
    case 'get_realms_and_credentials': {
      const result = await new AuthorizationEndpoint(validator, options).getRealmsAndCredentials(
        req,
      )
      return { kind: 'details', result, calls, warnings }
    }
    case 'validate_protected_resource_request': {
      const result = await new ResourceEndpoint(
        validator,
        options,
      ).validateProtectedResourceRequest(req, { realms })
      return { kind: 'validation', result, calls, warnings }
    }
    case 'validate_request': {
      const result = await new SignatureOnlyEndpoint(validator, options).validateRequest(req)
      return { kind: 'validation', result, calls, warnings }
    }
    default:
      throw new Error(`${scenario.id}: unknown call ${String(scenario.call)}`)
  }
}
