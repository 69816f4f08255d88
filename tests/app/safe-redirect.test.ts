// safeRedirect: a redirect target from input is followed only when it is a path on this site.
import { describe, expect, test } from 'vitest'
import { safeRedirect } from '../../app/redirect.server.ts'
import { returnTo } from '../../app/return-to.server.ts'

const refused: [string, unknown][] = [
  ['backslash after the slash', '/\\evil.example'],
  ['two backslashes', '\\\\evil.example'],
  ['one backslash', '\\evil.example'],
  ['protocol-relative', '//evil.example'],
  ['protocol-relative with a path', '//evil.example/partner'],
  ['slash, backslash, slash', '/\\/evil.example'],
  ['encoded backslash', '/%5Cevil.example'],
  ['encoded backslash, lower case', '/%5cevil.example'],
  ['encoded slash', '/%2F/evil.example'],
  ['encoded slash, lower case', '/%2f%2fevil.example'],
  ['double-encoded slashes', '/%252F%252Fevil.example'],
  ['double-encoded backslash', '/%255Cevil.example'],
  ['tab between the slashes', '/\t/evil.example'],
  ['backslash and tab', '/\\\t/evil.example'],
  ['newline between the slashes', '/\n/evil.example'],
  ['carriage return between the slashes', '/\r/evil.example'],
  ['CRLF header injection', '/partner\r\nSet-Cookie: x=1'],
  ['encoded tab', '/%09/evil.example'],
  ['encoded newline', '/%0A/evil.example'],
  ['encoded carriage return', '/%0D%0ALocation:%20http://evil.example'],
  ['NUL', '/partner\u0000'],
  ['encoded NUL', '/partner%00'],
  ['malformed percent-encoding', '/partner%E0%A4%A'],
  ['javascript: URL', 'javascript:alert(1)'],
  ['javascript: URL in capitals', 'JavaScript:alert(1)'],
  ['data: URL', 'data:text/html,<script>alert(1)</script>'],
  ['absolute http URL', 'http://evil.example/partner'],
  ['absolute https URL', 'https://evil.example'],
  ['scheme-relative with a backslash', '\\/evil.example'],
  ['no leading slash', 'partner/deals'],
  ['empty', ''],
  ['a space first', ' /partner'],
  ['not a string', ['/partner']],
  ['undefined', undefined],
  ['too long', `/${'a'.repeat(5000)}`],
]

const followed = [
  '/',
  '/partner',
  '/partner/deals?page=2',
  '/partner/deals?page=2&q=zephyr%20ltd',
  '/vendor/funds/queue?requests=1#claims-title',
  '/search?q=%2Fpath',
  '/audit?before=2026-01-01T00:00:00Z',
  '/partner/library/dach-training-deck#top',
  '/a/b/../c',
]

describe('safeRedirect', () => {
  test.each(refused)('refuses %s', (_what, to) => {
    expect(safeRedirect(to, '/fallback')).toBe('/fallback')
  })

  test.each(followed)('follows %s', (to) => {
    expect(safeRedirect(to, '/fallback')).toBe(to)
  })

  test('the fallback defaults to the start page', () => {
    expect(safeRedirect('//evil.example')).toBe('/')
  })

  test('whatever it answers resolves to this site in a browser', () => {
    const base = 'https://portal.example'
    for (const [, to] of refused) expect(new URL(safeRedirect(to), base).origin).toBe(base)
  })
})

describe('returnTo takes a list page only when safeRedirect would follow it too', () => {
  const posted = (to: string) => {
    const form = new FormData()
    form.set('returnTo', to)
    return returnTo(form, '/fallback')
  }
  test.each(['/vendor/deals?page=2#claims-title', '/partner/funds?status=open&page=3'])('%s is followed', (to) => {
    expect(posted(to)).toBe(to)
  })
  test.each(['//evil.example', '///evil.example', '/%2F%2Fevil.example', '/%252F%252Fevil.example', 'https://evil.example', '/\\evil.example'])('%s goes to the fallback', (to) => {
    expect(posted(to)).toBe('/fallback')
  })
})
