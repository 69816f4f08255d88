// What the request fuzzer needs besides fast-check: the portal's routes read from its route files, a signed-in HTTP client
// that can send any body (wrong content types, lone surrogates, repeated fields), and the forms a page offers.
import fs from 'node:fs'
import path from 'node:path'
import { root } from './support.ts'

export type RouteInfo = { pattern: string; file: string; params: string[]; hasLoader: boolean; hasAction: boolean }

/** every route of app/routes.ts and the areas' routes.ts, with whether its module has a loader and an action */
export function portalRoutes(): RouteInfo[] {
  const app = path.join(root, 'app')
  const sources = [path.join(app, 'routes.ts'), ...fs.readdirSync(path.join(app, 'routes'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(app, 'routes', d.name, 'routes.ts')))
    .map((d) => path.join(app, 'routes', d.name, 'routes.ts'))]
  const found: RouteInfo[] = []
  for (const source of sources) {
    const text = fs.readFileSync(source, 'utf8')
    const entries: [string, string][] = [
      ...[...text.matchAll(/\bindex\('([^']+)'\)/g)].map((m): [string, string] => ['', m[1]!]),
      ...[...text.matchAll(/\broute\('([^']*)',\s*'([^']+)'/g)].map((m): [string, string] => [m[1]!, m[2]!]),
    ]
    for (const [p, file] of entries) {
      const module = fs.readFileSync(path.join(app, file), 'utf8')
      found.push({
        pattern: `/${p}`, file, params: [...p.matchAll(/:(\w+)/g)].map((m) => m[1]!),
        hasLoader: /export (async )?function loader\b/.test(module), hasAction: /export (async )?function action\b/.test(module),
      })
    }
  }
  return found
}

/** the route pattern a concrete path matches, if any (static segments win over params, as in React Router) */
export function matchRoute(routes: RouteInfo[], pathname: string): RouteInfo | undefined {
  const segments = pathname.split('/').filter(Boolean)
  const candidates = routes.filter((r) => {
    const parts = r.pattern.split('/').filter(Boolean)
    return parts.length === segments.length && parts.every((part, i) => part.startsWith(':') || part === segments[i])
  })
  const statics = (r: RouteInfo) => r.pattern.split('/').filter((p) => p && !p.startsWith(':')).length
  return candidates.sort((a, b) => statics(b) - statics(a))[0]
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** percent-encodes like encodeURIComponent, but a lone surrogate becomes its (invalid) UTF-8 bytes instead of a throw */
export function encodeLoose(text: string): string {
  let out = ''
  for (const char of text) {
    if (LONE_SURROGATE.test(char)) {
      const c = char.charCodeAt(0)
      out += [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('')
    } else out += encodeURIComponent(char)
  }
  return out
}

const decodeEntities = (s: string) =>
  s.replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')

export type FormInfo = { action: string; multipart: boolean; fields: Record<string, string>; files: string[]; intents: string[] }

/** the POST forms of a page: where they post, their fields with the values the page put in them, file inputs, intents */
export function formsOf(html: string, pagePath: string): FormInfo[] {
  const forms: FormInfo[] = []
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const attrs = m[1]!
    if (!/method="post"/i.test(attrs)) continue
    const action = decodeEntities(attrs.match(/\baction="([^"]*)"/)?.[1] ?? pagePath)
    const body = m[2]!
    const fields: Record<string, string> = {}
    const files: string[] = []
    const intents: string[] = []
    for (const tag of body.matchAll(/<(input|select|textarea|button)\b([^>]*)>/g)) {
      const name = tag[2]!.match(/\bname="([^"]+)"/)?.[1]
      if (!name) continue
      const value = decodeEntities(tag[2]!.match(/\bvalue="([^"]*)"/)?.[1] ?? '')
      if (tag[1] === 'button') { if (value) intents.push(value); continue }
      if (/type="file"/.test(tag[2]!)) { files.push(name); continue }
      if (tag[1] === 'select') {
        const rest = body.slice(tag.index! + tag[0].length)
        fields[name] ??= decodeEntities(rest.match(/<option\b[^>]*\bvalue="([^"]+)"/)?.[1] ?? '')
        continue
      }
      fields[name] ??= value
    }
    forms.push({ action: action.split('?')[0]!.startsWith('/') ? action : pagePath, multipart: /multipart\/form-data/.test(attrs), fields, files, intents })
  }
  return forms
}

export type Body =
  | { kind: 'urlencoded'; fields: [string, string][] }
  | { kind: 'multipart'; fields: [string, string][]; files: [string, { bytes: number[]; type: string; name: string }][] }
  | { kind: 'raw'; contentType: string | null; text: string }

export type Client = {
  who: string
  csrf: string
  get(path: string): Promise<Response>
  post(path: string, body: Body): Promise<Response>
  signIn(): Promise<boolean>
}

/** a client with its own cookies; `email` null stays anonymous */
export function client(baseUrl: string, who: string, email: string | null): Client {
  const cookies = new Map<string, string>()
  const header = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  const store = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const index = pair!.indexOf('=')
      cookies.set(pair!.slice(0, index), pair!.slice(index + 1))
    }
  }
  const self: Client = {
    who,
    csrf: '',
    async get(p) {
      const response = await fetch(`${baseUrl}${p}`, { headers: { Cookie: header() }, redirect: 'manual' })
      store(response)
      return response
    },
    async post(p, body) {
      const headers: Record<string, string> = { Cookie: header() }
      let payload: BodyInit
      if (body.kind === 'urlencoded') {
        headers['Content-Type'] = 'application/x-www-form-urlencoded'
        payload = body.fields.map(([k, v]) => `${encodeLoose(k)}=${encodeLoose(v)}`).join('&')
      } else if (body.kind === 'multipart') {
        const form = new FormData()
        for (const [k, v] of body.fields) form.append(k, v)
        for (const [k, f] of body.files) form.append(k, new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name)
        payload = form
      } else {
        if (body.contentType) headers['Content-Type'] = body.contentType
        payload = new TextEncoder().encode(body.text)
      }
      const response = await fetch(`${baseUrl}${p}`, { method: 'POST', body: payload, headers, redirect: 'manual' })
      store(response)
      return response
    },
    async signIn() {
      const page = await (await self.get('/login')).text()
      self.csrf = decodeEntities(page.match(/name="csrf" value="([^"]+)"/)?.[1] ?? '')
      if (!email) return true
      const login = await self.post('/login', { kind: 'urlencoded', fields: [['csrf', self.csrf], ['email', email], ['password', 'partnerlog']] })
      if (login.status !== 302 || (login.headers.get('location') ?? '').startsWith('/login')) return false
      // the session gets a fresh token at sign-in
      self.csrf = decodeEntities((await (await self.get('/search')).text()).match(/name="csrf" value="([^"]+)"/)?.[1] ?? '')
      return true
    },
  }
  return self
}
