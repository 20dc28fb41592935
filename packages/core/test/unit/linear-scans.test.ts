import { parseAuthorizationHeader, parseForm, readRequestParameters } from '@x/oauth1-core'
import { afterEach, describe, expect, test, vi } from 'vitest'

// A form body may be up to 1 MiB (the default limit) and is parsed before the parameter
// count is known, so parsing must stay linear in its length whatever the text: one
// search that runs to the end of the text for every segment makes a body of `a&a&…`
// cost seconds of CPU. These tests count the characters that String.prototype.indexOf
// and lastIndexOf scan, which is deterministic, rather than timing anything.

const originalIndexOf = String.prototype.indexOf
const originalLastIndexOf = String.prototype.lastIndexOf
let scanned = 0

function countScans(): void {
  scanned = 0
  vi.spyOn(String.prototype, 'indexOf').mockImplementation(function (
    this: string,
    search: string,
    position?: number,
  ) {
    const found = originalIndexOf.call(this, search, position)
    const from = Math.min(Math.max(position ?? 0, 0), this.length)
    scanned += (found === -1 ? this.length : found + search.length) - from
    return found
  })
  vi.spyOn(String.prototype, 'lastIndexOf').mockImplementation(function (
    this: string,
    search: string,
    position?: number,
  ) {
    const found = originalLastIndexOf.call(this, search, position)
    const from = Math.min(Math.max(position ?? this.length, 0), this.length)
    scanned += from - (found === -1 ? 0 : found)
    return found
  })
}

afterEach(() => {
  vi.restoreAllMocks()
})

/** Texts whose segments have no `=`, `%`, `+` or `\` of their own: the worst case of a forward search per segment. */
const N = 4000

describe('parsing scans its input a bounded number of times', () => {
  test.each([
    ['segments without "="', 'a&'.repeat(N)],
    ['segments without "=" and a "=" at the end', `${'a&'.repeat(N)}z=1`],
    ['segments without "%" and a "%" at the end', `${'a=1&'.repeat(N)}z=%41`],
    ['segments without "+" and a "+" at the end', `${'a=1&'.repeat(N)}z=a+b`],
    ['names with "%" and values without', '%41=1&'.repeat(N)],
  ])('parseForm: %s', (_, text) => {
    countScans()
    const pairs = parseForm(text)
    vi.restoreAllMocks()
    expect(pairs.length).toBeGreaterThanOrEqual(N)
    expect(scanned).toBeLessThan(8 * text.length)
  })

  test('readRequestParameters with a form body of segments without "="', () => {
    const body = 'a&'.repeat(N)
    countScans()
    const params = readRequestParameters({
      method: 'POST',
      url: 'https://api.example.com/r?x=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    })
    vi.restoreAllMocks()
    expect(params.body.length).toBe(N)
    expect(scanned).toBeLessThan(8 * body.length)
  })

  test('the header tokenizer with a backslash early and many quoted values', () => {
    // Spelled `oauth` so that the general tokenizer reads it.
    const header = `oauth a0="x\\"y", ${Array.from({ length: N / 4 }, (_, i) => `p${i}="v"`).join(', ')}`
    countScans()
    const parsed = parseAuthorizationHeader(header)
    vi.restoreAllMocks()
    expect(parsed.params.length).toBe(N / 4 + 1)
    expect(scanned).toBeLessThan(8 * header.length)
  })
})
