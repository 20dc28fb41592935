import { describe, expect, it } from 'vitest'
import { escapeHtml, html, SafeHtml } from '../../src/html.ts'
import { safeNext } from '../../src/provider.ts'
import { isSessionId, MemorySessionStore, newSessionId } from '../../src/sessions.ts'

describe('safeNext', () => {
  it('keeps local paths', () => {
    expect(safeNext('/oauth/authorize?oauth_token=a%2Bb')).toBe(
      '/oauth/authorize?oauth_token=a%2Bb',
    )
    expect(safeNext('/account/tokens')).toBe('/account/tokens')
    expect(safeNext('/a/../b?x=1#f')).toBe('/b?x=1#f')
  })

  it('turns everything else into /', () => {
    for (const next of [
      undefined,
      null,
      '',
      'account',
      '//evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
      '/\tevil',
      '/x\r\nSet-Cookie: a=1',
      ' /x',
      '/x y',
    ]) {
      expect(safeNext(next), String(next)).toBe('/')
    }
  })
})

describe('html', () => {
  it('escapes every interpolated value but SafeHtml', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    )
    const name = '<img src=x onerror=alert(1)>'
    expect(html`<p title="${name}">${name}${[name, html`<b>${name}</b>`]}</p>`.value).toBe(
      '<p title="&lt;img src=x onerror=alert(1)&gt;">&lt;img src=x onerror=alert(1)&gt;&lt;img src=x onerror=alert(1)&gt;<b>&lt;img src=x onerror=alert(1)&gt;</b></p>',
    )
    expect(html`${undefined}${null}${false}${0}`.value).toBe('0')
    expect(html`${new SafeHtml('<br>')}`.value).toBe('<br>')
  })
})

describe('sessions', () => {
  it('ids are 32 random bytes, base64url', () => {
    const id = newSessionId()
    expect(isSessionId(id)).toBe(true)
    expect(newSessionId()).not.toBe(id)
    expect(isSessionId('x'.repeat(42))).toBe(false)
    expect(isSessionId(`${'x'.repeat(42)}=`)).toBe(false)
  })

  it('the memory store expires sessions and stays bounded', async () => {
    let now = 1_000_000
    const store = new MemorySessionStore({ max: 3, now: () => now })
    await store.set('a', { user: 'alice', csrf: 'c', expiresAt: now + 1000 })
    expect(await store.get('a')).toMatchObject({ user: 'alice' })
    now += 1000
    expect(await store.get('a')).toBeUndefined()
    for (const id of ['b', 'c', 'd', 'e']) {
      await store.set(id, { user: undefined, csrf: 'c', expiresAt: now + 1000 })
    }
    expect(store.size).toBe(3)
    expect(await store.get('b')).toBeUndefined()
    expect(await store.get('e')).toBeDefined()
  })
})
