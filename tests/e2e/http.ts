// Plain HTTP against the running server, for permission tests: sign in, then GET and POST forms with the CSRF token.
export type HttpSession = {
  email: string
  get(path: string, headers?: Record<string, string>): Promise<Response>
  post(path: string, fields: Record<string, string | string[] | Blob>, options?: { csrf?: boolean }): Promise<Response>
}

function cookieJar() {
  const cookies = new Map<string, string>()
  return {
    header: () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    store(response: Response) {
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';')
        const index = pair!.indexOf('=')
        cookies.set(pair!.slice(0, index), pair!.slice(index + 1))
      }
    },
  }
}

async function csrfOf(html: string) {
  const match = html.match(/name="csrf" value="([^"]+)"/)
  if (!match) throw new Error('No CSRF token in the page')
  return match[1]!
}

export async function httpSession(baseUrl: string, email: string, password = 'partnerlog'): Promise<HttpSession> {
  const jar = cookieJar()
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${baseUrl}${path}`, { headers: { ...headers, Cookie: jar.header() }, redirect: 'manual' })
    jar.store(response)
    return response
  }
  let csrf = await csrfOf(await (await get('/login')).text())
  const post = async (path: string, fields: Record<string, string | string[] | Blob>, options: { csrf?: boolean } = {}) => {
    const body = new FormData()
    if (options.csrf !== false) body.set('csrf', csrf)
    for (const [key, value] of Object.entries(fields)) {
      if (Array.isArray(value)) for (const v of value) body.append(key, v)
      else body.set(key, value)
    }
    const response = await fetch(`${baseUrl}${path}`, { method: 'POST', body, headers: { Cookie: jar.header() }, redirect: 'manual' })
    jar.store(response)
    return response
  }
  const login = await post('/login', { email, password })
  if (login.status !== 302) throw new Error(`Sign-in as ${email} failed with ${login.status}`)
  // the session gets a fresh token at sign-in
  csrf = await csrfOf(await (await get('/search')).text())
  return { email, get, post }
}

export const demoEmails = {
  partnerA: 'maria@northwind.example', // Northwind IT, partner admin
  partnerB: 'li@contoso.example', // Contoso MSP, partner admin
  channelManager: 'sam@vendor.example',
  vendorAdmin: 'vera@vendor.example',
  auditor: 'alex@vendor.example',
} as const
