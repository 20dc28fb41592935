/** Markup that is already safe: {@link html} inserts it as is. */
export class SafeHtml {
  readonly value: string
  constructor(value: string) {
    this.value = value
  }
  toString(): string {
    return this.value
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string)
}

function render(value: unknown): string {
  if (value instanceof SafeHtml) return value.value
  if (Array.isArray(value)) return value.map(render).join('')
  if (value === undefined || value === null || value === false) return ''
  return escapeHtml(String(value))
}

/** A template whose every interpolated value is escaped, except {@link SafeHtml} (and arrays of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? ''
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '')
  return new SafeHtml(out)
}

const STYLE = `
:root { color-scheme: light dark; --accent: #1f5fbf; --muted: #5b6470; --line: #c9ced6 }
* { box-sizing: border-box }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 }
header { border-bottom: 1px solid var(--line); padding: .6rem 1rem; display: flex; gap: 1rem; align-items: center; flex-wrap: wrap }
header nav { display: flex; gap: 1rem; flex-wrap: wrap; flex: 1 }
header form { margin: 0 }
main { max-width: 44rem; margin: 0 auto; padding: 1rem }
a { color: var(--accent) }
label { display: block; font-weight: 600; margin-top: 1rem }
input[type=text], input[type=password], input[type=url], textarea { width: 100%; padding: .5rem; font: inherit; border: 1px solid var(--line); border-radius: 4px }
textarea { min-height: 8rem; font-family: ui-monospace, monospace; font-size: .85rem }
button { font: inherit; padding: .5rem 1.1rem; margin: 1rem .5rem 0 0; border-radius: 4px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer }
button.secondary { background: transparent; color: var(--accent) }
button.link { margin: 0; padding: .2rem .6rem }
button:focus-visible, a:focus-visible, input:focus-visible, textarea:focus-visible { outline: 3px solid #f0a000; outline-offset: 2px }
.hint { color: var(--muted); font-size: .9rem; margin: .2rem 0 0 }
.error { border: 1px solid #b00020; color: #b00020; padding: .5rem .8rem; border-radius: 4px }
.secret { display: block; padding: .5rem; border: 1px dashed var(--line); word-break: break-all; font-size: 1.1rem }
table { border-collapse: collapse; width: 100% }
th, td { text-align: left; padding: .4rem; border-bottom: 1px solid var(--line); vertical-align: top }
code { font-family: ui-monospace, monospace }
`

export interface PageOptions {
  readonly title: string
  readonly body: SafeHtml
  /** The signed-in user, shown in the header with a sign-out button. */
  readonly user?: string | undefined
  /** CSRF token of the sign-out form (when signed in). */
  readonly csrf?: string | undefined
}

/** A whole page: lang, title, inline style (no external assets), header navigation. */
export function page(options: PageOptions): string {
  const account =
    options.user === undefined
      ? html`<a href="/login">Sign in</a>`
      : html`<span>Signed in as <strong>${options.user}</strong></span>
      <form method="post" action="/logout">
        <input type="hidden" name="csrf_token" value="${options.csrf ?? ''}">
        <button type="submit" class="secondary link">Sign out</button>
      </form>`
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · oauth1 demo provider</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
<header>
  <nav aria-label="Main">
    <a href="/">Home</a>
    <a href="/developer">Developer</a>
    <a href="/account/tokens">Your tokens</a>
  </nav>
  ${account}
</header>
<main>
${options.body}
</main>
</body>
</html>
`.value
}
