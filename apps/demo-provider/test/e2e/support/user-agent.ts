import { type HttpResult, httpRequest } from '@x/oauth1-testkit'

const FORM = 'application/x-www-form-urlencoded'

/** Attributes of every `<input>` and `<button>` of an HTML page, in order. */
export function formControls(html: string): Record<string, string>[] {
  const controls: Record<string, string>[] = []
  for (const tag of html.matchAll(/<(input|button)\b([^>]*)>/gi)) {
    const attrs: Record<string, string> = { tag: (tag[1] as string).toLowerCase() }
    for (const attr of (tag[2] as string).matchAll(
      /([^\s=/"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g,
    )) {
      attrs[(attr[1] as string).toLowerCase()] = decodeEntities(attr[2] ?? attr[3] ?? attr[4] ?? '')
    }
    controls.push(attrs)
  }
  return controls
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos|#39);/gi, (_, e: string) => {
    const lower = e.toLowerCase()
    if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16))
    if (lower.startsWith('#')) return String.fromCodePoint(Number(lower.slice(1)))
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[lower] ?? ''
  })
}

/** The consent form: its hidden inputs and the values of its `decision` buttons. */
export interface ConsentForm {
  readonly hidden: Record<string, string>
  readonly decisions: string[]
}

export function consentForm(html: string): ConsentForm {
  // The page has other forms (sign out): take the one with the decision buttons.
  const forms = [...html.matchAll(/<form\b[\s\S]*?<\/form>/gi)].map((m) => m[0])
  const form = forms.find((f) => /name="?decision"?/i.test(f)) ?? ''
  const hidden: Record<string, string> = {}
  const decisions: string[] = []
  for (const c of formControls(form)) {
    if (c.tag === 'input' && c.type?.toLowerCase() === 'hidden' && c.name !== undefined) {
      hidden[c.name] = c.value ?? ''
    }
    if (c.name === 'decision' && (c.tag === 'button' || c.type?.toLowerCase() === 'submit')) {
      decisions.push(c.value ?? '')
    }
  }
  return { hidden, decisions }
}

/**
 * A cookie-keeping HTTP client that plays the resource owner's browser (login, consent)
 * over real HTTP, for tests that are not the browser test.
 */
export class UserAgent {
  readonly #cookies = new Map<string, string>()
  readonly baseUrl: string
  constructor(baseUrl: string) {
    this.baseUrl = baseUrl
  }

  get cookieHeader(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  async request(
    path: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<HttpResult> {
    const headers: Record<string, string> = {}
    if (this.#cookies.size > 0) headers.cookie = this.cookieHeader
    let body: string | undefined
    if (init.form !== undefined) {
      headers['content-type'] = FORM
      body = new URLSearchParams(init.form).toString()
    }
    const res = await httpRequest(new URL(path, this.baseUrl).toString(), {
      method: init.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
    })
    for (const line of setCookies(res)) {
      const [pair] = line.split(';')
      const eq = pair?.indexOf('=') ?? -1
      if (pair === undefined || eq < 1) continue
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      if (value === '' || /;\s*max-age=0/i.test(line)) this.#cookies.delete(name)
      else this.#cookies.set(name, value)
    }
    return res
  }

  /** `POST /login`; the response (302 to `next` when the password is right). */
  login(username: string, password: string, next = '/'): Promise<HttpResult> {
    return this.request('/login', { form: { username, password, next } })
  }

  /** Opens the consent page of `token` and submits `decision` with its hidden inputs. */
  async decide(
    token: string,
    decision: 'approve' | 'deny',
  ): Promise<{ page: HttpResult; form: ConsentForm; result: HttpResult }> {
    const page = await this.request(`/oauth/authorize?oauth_token=${encodeURIComponent(token)}`)
    if (page.status !== 200) {
      throw new Error(`consent page for ${token}: ${page.status} ${page.body.slice(0, 500)}`)
    }
    const form = consentForm(page.body)
    const result = await this.request('/oauth/authorize', { form: { ...form.hidden, decision } })
    return { page, form, result }
  }

  /** Approves `token` and returns the `oauth_verifier` of the callback redirect. */
  async approve(token: string): Promise<string> {
    const { result } = await this.decide(token, 'approve')
    const location = result.headers.location
    if (result.status !== 302 || location === undefined) {
      throw new Error(`approval of ${token}: ${result.status} ${result.body.slice(0, 500)}`)
    }
    const verifier = new URL(location, this.baseUrl).searchParams.get('oauth_verifier')
    if (verifier === null) throw new Error(`approval of ${token}: no verifier in ${location}`)
    return verifier
  }
}

export function setCookies(res: HttpResult): string[] {
  const raw = res.headers['set-cookie']
  return raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]
}
