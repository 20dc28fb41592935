import type { HttpResult } from '@x/oauth1-testkit'
import { expect } from 'vitest'
import type { Observed } from './python.ts'

const FORM = /^application\/x-www-form-urlencoded/

/** A response in one line, for assertion messages. */
export function describeResponse(res: HttpResult): string {
  return `${res.status} ${String(res.headers['content-type'] ?? '')} ${res.body.slice(0, 300)}`
}

/**
 * A 401 of the contract: `WWW-Authenticate: OAuth realm="..."` and a form-encoded error
 * body (`oauth_problem`, oauthlib's `error`).
 */
export function expectChallenge(res: HttpResult, problem?: string | readonly string[]): void {
  expect(res.status, describeResponse(res)).toBe(401)
  expect(res.headers['www-authenticate'], describeResponse(res)).toMatch(/^OAuth realm="[^"]*"/)
  expect(res.headers['content-type'], describeResponse(res)).toMatch(FORM)
  const body = new URLSearchParams(res.body)
  expect(body.get('oauth_problem') ?? body.get('error'), describeResponse(res)).toBeTruthy()
  if (problem !== undefined) {
    expect(typeof problem === 'string' ? [problem] : problem).toContain(body.get('oauth_problem'))
  }
}

/** A 400 OAuth error: a form-encoded body naming the problem. */
export function expectBadRequest(res: HttpResult, problem?: string | readonly string[]): void {
  expect(res.status, describeResponse(res)).toBe(400)
  expect(res.headers['content-type'], describeResponse(res)).toMatch(FORM)
  const body = new URLSearchParams(res.body)
  expect(body.get('oauth_problem') ?? body.get('error'), describeResponse(res)).toBeTruthy()
  if (problem !== undefined) {
    expect(typeof problem === 'string' ? [problem] : problem).toContain(body.get('oauth_problem'))
  }
}

/** 400, or a 401 with the challenge. */
export function expectRefused(res: HttpResult): void {
  expect([400, 401], describeResponse(res)).toContain(res.status)
  if (res.status === 401) expectChallenge(res)
  else expectBadRequest(res)
}

/** Same checks as {@link expectChallenge}, on what the Python client observed. */
export function expectObservedChallenge(seen: Observed | undefined): void {
  expect(seen, 'no response observed').toBeDefined()
  const s = seen as Observed
  const what = `${s.method} ${s.url}: ${s.status} ${s.contentType} ${s.body.slice(0, 300)}`
  expect(s.status, what).toBe(401)
  expect(s.wwwAuthenticate, what).toMatch(/^OAuth realm="[^"]*"/)
  expect(s.contentType, what).toMatch(FORM)
  expect(s.form?.oauth_problem ?? s.form?.error, what).toBeTruthy()
}

/** A 2xx JSON response the Python client observed. */
export function observedJson(seen: unknown, status = 200): Record<string, unknown> {
  expect(seen, 'no response observed').toBeDefined()
  const s = seen as Observed
  const what = `${s.method} ${s.url}: ${s.status} ${s.contentType} ${s.body.slice(0, 500)}`
  expect(s.status, what).toBe(status)
  expect(s.contentType, what).toMatch(/^application\/json/)
  return s.json as Record<string, unknown>
}

/** A form-encoded 200 the Python client observed. */
export function observedForm(seen: unknown): Record<string, string> {
  expect(seen, 'no response observed').toBeDefined()
  const s = seen as Observed
  const what = `${s.method} ${s.url}: ${s.status} ${s.contentType} ${s.body.slice(0, 500)}`
  expect(s.status, what).toBe(200)
  expect(s.contentType, what).toMatch(FORM)
  return s.form as Record<string, string>
}

/** The form fields of an echo, without the protocol parameters a BODY placement adds. */
export function withoutProtocol(params: unknown): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries((params ?? {}) as Record<string, unknown>).filter(
      ([k]) => !k.startsWith('oauth_'),
    ),
  )
}
