// The session cookie signed with node:crypto is the cookie React Router's createCookie wrote before (decision 032): the
// same Set-Cookie headers, each reads the other's, and a cookie with another signature or none signs nobody in.
import { randomBytes } from 'node:crypto'
import { createCookie } from 'react-router'
import { describe, expect, test } from 'vitest'
import { createSessionCookie } from '../../app/session-cookie.server.ts'

const EIGHT_HOURS = 60 * 60 * 8
const secret = randomBytes(32).toString('base64url')
const reactRouters = (name: string, secure: boolean, key = secret) =>
  createCookie(name, { httpOnly: true, sameSite: 'lax', path: '/', secure, secrets: [key], maxAge: EIGHT_HOURS })

describe.each([['partnerlog', false], ['__Host-partnerlog', true]] as const)('%s', (name, secure) => {
  const ours = createSessionCookie(name, { secret, maxAge: EIGHT_HOURS, secure })
  const theirs = reactRouters(name, secure)
  const pairOf = (setCookie: string) => setCookie.split(';')[0]!

  test('writes the Set-Cookie headers React Router wrote, for ids of every kind', async () => {
    for (const id of [randomBytes(32).toString('base64url'), randomBytes(31).toString('base64'), 'ü-ñ 1/2+3=']) {
      expect(ours.serialize(id)).toBe(await theirs.serialize(id))
    }
    expect(ours.cleared()).toBe(await theirs.serialize('', { maxAge: undefined, expires: new Date(0) }))
  })

  test("reads React Router's cookies and React Router reads its own, among other cookies", async () => {
    const id = randomBytes(32).toString('base64url')
    const header = `other=1; ${pairOf(await theirs.serialize(id))}; last=2`
    expect(ours.parse(header)).toBe(id)
    expect(await theirs.parse(`a=b; ${pairOf(ours.serialize(id))}`)).toBe(id)
  })

  test('refuses a cookie signed with another secret, a changed id or signature, and no cookie', async () => {
    const id = randomBytes(32).toString('base64url')
    expect(ours.parse(pairOf(await reactRouters(name, secure, 'another secret').serialize(id)))).toBeNull()
    const signed = decodeURIComponent(pairOf(ours.serialize(id)).slice(name.length + 1))
    const dot = signed.lastIndexOf('.')
    const otherValue = btoa(JSON.stringify(randomBytes(32).toString('base64url')))
    expect(ours.parse(`${name}=${encodeURIComponent(`${otherValue}${signed.slice(dot)}`)}`)).toBeNull()
    expect(ours.parse(`${name}=${encodeURIComponent(`${signed.slice(0, dot)}.${'A'.repeat(43)}`)}`)).toBeNull()
    expect(ours.parse(`${name}=${encodeURIComponent(signed.slice(0, dot))}`)).toBeNull()
    expect(ours.parse(`${name}=`)).toBeNull()
    expect(ours.parse('other=1')).toBeNull()
    expect(ours.parse(null)).toBeNull()
  })
})
