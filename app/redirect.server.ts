// Where a redirect may go when its target comes from input: only a path on this site.

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
const MAX_LENGTH = 2048

/** Whether `to` is a same-origin relative path that no browser resolves to another host. */
function isLocalPath(to: string): boolean {
  // "/" then anything but "/" or "\" (browsers read "//host" and "/\host" as a host); no control character or backslash
  return to.startsWith('/') && !to.startsWith('//') && !to.includes('\\') && !CONTROL.test(to) && to.length <= MAX_LENGTH
}

/** `to` when it and its percent-decoded forms are paths on this site, else `fallback` (no decoding makes it a host). */
export function safeRedirect(to: unknown, fallback = '/'): string {
  if (typeof to !== 'string' || !isLocalPath(to)) return fallback
  let decoded = to
  for (let round = 0; decoded.includes('%'); round++) {
    if (round === 3) return fallback // encoded over and over: no real page of ours looks like that
    try {
      const next = decodeURIComponent(decoded)
      if (next === decoded) break
      decoded = next
    } catch {
      return fallback // malformed percent-encoding
    }
    if (!isLocalPath(decoded)) return fallback
  }
  const base = 'http://portal.invalid'
  let url: URL
  try {
    url = new URL(to, base)
  } catch {
    return fallback
  }
  return url.origin === base ? to : fallback
}
