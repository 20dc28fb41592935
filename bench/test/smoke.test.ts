import { baseStringUri } from '@x/oauth1-core'
import { describe, expect, it } from 'vitest'
import { buildWorkload, verifyRequest, verifyRequestFloor } from '../src/workload.ts'

describe('benchmark workload', async () => {
  const workload = await buildWorkload()

  it('has a request that verifies, so the bench measures the success path', async () => {
    expect(await verifyRequest(workload.request, workload.secrets)).toBe(true)
  })

  it('rejects a tampered query parameter', async () => {
    const url = workload.request.url.replace('count=200', 'count=201')
    const request = { ...workload.request, url, query: url.slice(url.indexOf('?') + 1) }
    expect(await verifyRequest(request, workload.secrets)).toBe(false)
  })

  it('rejects a tampered signature', async () => {
    const authorization = workload.request.authorization.replace(
      /oauth_signature="([^"]+)"/,
      (_, value: string) =>
        `oauth_signature="${value.startsWith('A') ? 'B' : 'A'}${value.slice(1)}"`,
    )
    expect(authorization).not.toBe(workload.request.authorization)
    expect(await verifyRequest({ ...workload.request, authorization }, workload.secrets)).toBe(
      false,
    )
  })

  it('rejects a wrong token secret', async () => {
    const secrets = { ...workload.secrets, tokenSecret: `${workload.secrets.tokenSecret}x` }
    expect(await verifyRequest(workload.request, secrets)).toBe(false)
  })

  it('signs a base string of realistic size with 10 signed parameters', () => {
    expect(workload.baseString.length).toBeGreaterThan(300)
    expect(workload.baseString.split('%26').length).toBe(10)
  })

  describe('the floor row (verifyRequestFloor) does the real HMAC work', () => {
    const encodedUri = encodeURIComponent(baseStringUri(workload.request.url))
    const key = workload.hmacKey

    it('accepts the benchmark request', () => {
      expect(verifyRequestFloor(workload.request, encodedUri, key)).toBe(true)
    })

    it('refuses a tampered query, a tampered header value and a wrong key', () => {
      const url = workload.request.url.replace('count=200', 'count=201')
      const query = url.slice(url.indexOf('?') + 1)
      expect(verifyRequestFloor({ ...workload.request, url, query }, encodedUri, key)).toBe(false)
      const authorization = workload.request.authorization.replace(
        /oauth_timestamp="(\d+)"/,
        (_, t: string) => `oauth_timestamp="${Number(t) + 1}"`,
      )
      expect(authorization).not.toBe(workload.request.authorization)
      expect(verifyRequestFloor({ ...workload.request, authorization }, encodedUri, key)).toBe(
        false,
      )
      expect(verifyRequestFloor(workload.request, encodedUri, `${key}x`)).toBe(false)
    })
  })
})
