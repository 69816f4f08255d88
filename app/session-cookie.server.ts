// The session cookie's signed id, written and read as React Router's createCookie does (the same cookie in the browser,
// so sessions survive the change) but signed with node:crypto's HMAC in the request's own turn: createCookie imports the
// key and signs or verifies with WebCrypto jobs on every view, about 2 ms of CPU per request here (decision 032).
import { createHmac, timingSafeEqual } from 'node:crypto'

export type SessionCookieOptions = { secret: string; maxAge: number; secure: boolean }

/** base64 without its padding, as React Router writes a signature */
const signatureOf = (value: string, secret: string) => createHmac('sha256', secret).update(value).digest('base64').replace(/=+$/, '')

/** The value of cookie `name` in a Cookie header (its first occurrence, URL-decoded), or null. */
function cookieValue(header: string, name: string): string | null {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue
    const raw = part.slice(eq + 1).trim()
    try {
      return raw.includes('%') ? decodeURIComponent(raw) : raw
    } catch {
      return raw
    }
  }
  return null
}

export function createSessionCookie(name: string, { secret, maxAge, secure }: SessionCookieOptions) {
  const attributes = `; Max-Age=${maxAge}; Path=/; HttpOnly${secure ? '; Secure' : ''}; SameSite=Lax`
  return {
    name,
    /** the id a Cookie header carries, when its signature is this deployment's; null otherwise */
    parse(header: string | null): string | null {
      if (!header) return null
      const signed = cookieValue(header, name)
      if (!signed) return null
      const dot = signed.lastIndexOf('.')
      if (dot < 0) return null
      const value = signed.slice(0, dot)
      const given = Buffer.from(signed.slice(dot + 1))
      const expected = Buffer.from(signatureOf(value, secret))
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
      try {
        // React Router's encoding of a JSON value: base64 of its UTF-8 (an id is ASCII)
        const decoded: unknown = JSON.parse(decodeURIComponent(escape(atob(value))))
        return typeof decoded === 'string' ? decoded : null
      } catch {
        return null
      }
    },
    /** the Set-Cookie header carrying `id`, signed */
    serialize(id: string): string {
      const value = btoa(unescape(encodeURIComponent(JSON.stringify(id))))
      return `${name}=${encodeURIComponent(`${value}.${signatureOf(value, secret)}`)}${attributes}`
    },
    /** the Set-Cookie header that clears the cookie */
    cleared(): string {
      // the HTTP date of the epoch: a cookie that expired long ago
      return `${name}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly${secure ? '; Secure' : ''}; SameSite=Lax`
    },
  }
}
export type SessionCookie = ReturnType<typeof createSessionCookie>
