import { ParameterRejectedError } from '@x/oauth1-core'
import {
  type IncomingMessageLike,
  isRejection,
  readIncomingMessage,
  readIncomingMessageNow,
  readOrRejection,
} from '@x/oauth1-core/http'
import { describe, expect, test } from 'vitest'

// A structural IncomingMessage: headers, target, socket, and a body stream of given chunks.
function message(
  method: string,
  url: string,
  headers: Record<string, string>,
  chunks: string[] = [],
): IncomingMessageLike {
  return {
    method,
    url,
    headers,
    socket: { encrypted: false, remoteAddress: '127.0.0.1' },
    async *[Symbol.asyncIterator]() {
      for (const chunk of chunks) yield new TextEncoder().encode(chunk)
    },
  }
}

describe('readIncomingMessageNow', () => {
  test('answers at once for a request without a body to read, the same object each time', async () => {
    const req = message('GET', '/photos?size=original', {
      host: 'api.example.com',
      authorization: 'OAuth oauth_nonce="n"',
    })
    const first = readIncomingMessageNow(req)
    expect(first).not.toBeInstanceOf(Promise)
    expect(first).toEqual({
      method: 'GET',
      url: 'http://api.example.com/photos?size=original',
      headers: { host: 'api.example.com', authorization: 'OAuth oauth_nonce="n"' },
      body: undefined,
      clientAddress: '127.0.0.1',
    })
    expect(readIncomingMessageNow(req)).toBe(first)
    expect(await readIncomingMessage(req)).toBe(first)
  })

  test('reads a signed form body once, behind one promise', async () => {
    const req = message(
      'POST',
      '/token',
      { host: 'h.example', 'content-type': 'application/x-www-form-urlencoded' },
      ['a=1&', 'b=2'],
    )
    const first = readIncomingMessageNow(req)
    expect(first).toBeInstanceOf(Promise)
    expect(readIncomingMessageNow(req)).toBe(first)
    expect((await first).body).toBe('a=1&b=2')
    expect(await readIncomingMessage(req)).toBe(await first)
  })

  test('throws a protocol error at once; readIncomingMessage rejects with it', async () => {
    const req = message('GET', '/x', { host: 'bad host' })
    expect(() => readIncomingMessageNow(req)).toThrow(ParameterRejectedError)
    await expect(readIncomingMessage(req)).rejects.toThrow(ParameterRejectedError)
  })
})

describe('readOrRejection', () => {
  test('turns a protocol error into a 400 rejection without a promise', () => {
    const result = readOrRejection(() => readIncomingMessageNow(message('GET', '/', {})))
    expect(result).not.toBeInstanceOf(Promise)
    if (result instanceof Promise || !isRejection(result)) throw new Error('expected a rejection')
    expect(result.response.status).toBe(400)
    expect(result.error).toBeInstanceOf(ParameterRejectedError)
  })

  test('passes a request through as it is, and a pending read as a promise', async () => {
    const get = message('GET', '/', { host: 'h.example' })
    expect(readOrRejection(() => readIncomingMessageNow(get))).toBe(readIncomingMessageNow(get))
    const post = message('POST', '/', {
      host: 'h.example',
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': '9999999',
    })
    const pending = readOrRejection(() => readIncomingMessageNow(post, { bodyLimit: 10 }))
    expect(pending).toBeInstanceOf(Promise)
    const rejected = await pending
    expect(isRejection(rejected) && rejected.response.status).toBe(413)
  })

  test('lets any other error through', () => {
    expect(() =>
      readOrRejection(() => {
        throw new RangeError('a bug')
      }),
    ).toThrow(RangeError)
  })
})
