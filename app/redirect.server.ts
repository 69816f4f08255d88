// Where a redirect may go when its target comes from input: only a path on this site.

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/
const MAX_LENGTH = 2048

/** Whether `to` is a same-origin relative path that no browser resolves to another host. */
function isLocalPath(to: string): boolean {
  // "/" then anything but "/" or "\": browsers treat "//host", "/\host" and "\\host" as another host; they also drop
  // tabs and newlines before resolving ("/\t/host" is "//host"), so no control character and no backslash anywhere
  return to.startsWith('/') && !to.startsWith('//') && !to.includes('\\') && !CONTROL.test(to) && to.length <= MAX_LENGTH
}

/**
 * `to` when it is a path on this site (with its query and hash), else `fallback`. Its percent-decoded forms must be
 * too (`/%2F/host`, `/%5Chost`, `/%252F%252Fhost`), so that no proxy or later decoding turns it into another host.
 */
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
