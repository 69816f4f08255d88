// PUBLIC_URL: the one source of the portal's absolute addresses, so it must be an origin and nothing else.
import { describe, expect, test } from 'vitest'
import { EnvError, parseEnv } from '../../app/env.server.ts'

describe('PUBLIC_URL', () => {
  test('defaults to localhost on the configured port', () => {
    expect(parseEnv({}).PUBLIC_URL).toBe('http://localhost:3000')
    expect(parseEnv({ PORT: '8080', PUBLIC_URL: ' ' }).PUBLIC_URL).toBe('http://localhost:8080')
  })

  test('an http(s) origin is kept as its origin', () => {
    expect(parseEnv({ PUBLIC_URL: 'https://Partners.Example.com/' }).PUBLIC_URL).toBe('https://partners.example.com')
    expect(parseEnv({ PUBLIC_URL: 'http://portal.internal:8443' }).PUBLIC_URL).toBe('http://portal.internal:8443')
  })

  test('anything but an origin is refused at start-up, naming the variable', () => {
    for (const bad of ['partners.example.com', 'ftp://partners.example.com', 'https://partners.example.com/portal', 'https://partners.example.com/?a=1',
      'https://partners.example.com?', 'https://partners.example.com#top', 'https://user:pw@partners.example.com', 'javascript:alert(1)']) {
      expect(() => parseEnv({ PUBLIC_URL: bad }), bad).toThrow(EnvError)
      expect(() => parseEnv({ PUBLIC_URL: bad }), bad).toThrow(/PUBLIC_URL: must be the portal's public origin only/)
    }
  })
})
