// Which page a URL asks for, where a page past the end goes, and where an action may send the user back to (a page of a
// list, never another site).
import { describe, expect, test } from 'vitest'
import { returnTo } from '../../app/return-to.server.ts'
import { lastPage, onRealPages, requestedPage } from '../../app/paging.ts'

const url = (search: string) => `http://localhost/vendor/deals${search}`

/** the status and text of what requestedPage throws (a 400 data response), or the page */
function ask(search: string, name?: string): number | { status: number; reason: string } {
  try {
    return requestedPage(url(search), name)
  } catch (thrown) {
    const response = thrown as { init: { status: number } | null; data: string }
    return { status: response.init?.status ?? 0, reason: response.data }
  }
}

describe('requestedPage', () => {
  test('a page number from the list’s own parameter; page 1 when absent or empty', () => {
    expect(ask('')).toBe(1)
    expect(ask('?page=')).toBe(1)
    expect(ask('?page=3')).toBe(3)
    expect(ask('?page=%203%20')).toBe(3)
    expect(ask('?requests=2&claims=7', 'claims')).toBe(7)
    expect(ask('?requests=2&claims=7', 'payments')).toBe(1)
  })

  test('anything else is a 400 that says what is wrong', () => {
    for (const bad of ['abc', '0', '-1', '1.5', '1e3', '999999999', '2;drop']) {
      const answer = ask(`?page=${encodeURIComponent(bad)}`)
      expect(answer, bad).toMatchObject({ status: 400, reason: expect.stringContaining(`“page=${bad}” is not a page of this list`) })
    }
    expect(ask('?page=abc')).toMatchObject({ reason: expect.stringContaining('not a whole number') })
    expect(ask('?page=0')).toMatchObject({ reason: expect.stringContaining('below 1') })
  })

  test('lastPage: an empty list has one (empty) page', () => {
    expect([lastPage(0, 50), lastPage(1, 50), lastPage(50, 50), lastPage(51, 50), lastPage(2_340, 50)]).toEqual([1, 1, 1, 2, 47])
  })
})

describe('onRealPages', () => {
  /** where onRealPages sends the URL (a 302's Location), or null when the page numbers are the pages read */
  function sentTo(search: string, pages: Record<string, { page: number }>): string | null {
    try {
      onRealPages(new URL(url(search)), pages)
      return null
    } catch (thrown) {
      const response = thrown as Response
      expect(response.status).toBe(302)
      return response.headers.get('Location')
    }
  }

  test('a page past the end of its list goes to the last page, the other parameters kept', () => {
    expect(sentTo('?page=99&q=x', { page: { page: 3 } })).toBe('/vendor/deals?page=3&q=x')
    expect(sentTo('?requests=2&claims=9', { requests: { page: 2 }, claims: { page: 4 }, payments: { page: 1 } })).toBe('/vendor/deals?requests=2&claims=4')
  })

  test('the pages read stay where they are, page 1 without a number included', () => {
    expect(sentTo('', { page: { page: 1 } })).toBeNull()
    expect(sentTo('?page=3', { page: { page: 3 } })).toBeNull()
    expect(sentTo('?requests=2', { requests: { page: 2 }, claims: { page: 1 } })).toBeNull()
  })
})

describe('returnTo', () => {
  const form = (to: string) => {
    const data = new FormData()
    data.set('returnTo', to)
    return data
  }
  test('a path on this site, with the page of a list it was on', () => {
    expect(returnTo(form('/vendor'), '/x')).toBe('/vendor')
    expect(returnTo(form('/vendor/deals?page=3'), '/x')).toBe('/vendor/deals?page=3')
    expect(returnTo(form('/vendor/funds/queue?requests=2&claims=3'), '/x')).toBe('/vendor/funds/queue?requests=2&claims=3')
    // and the section of the page it was in
    expect(returnTo(form('/vendor/funds/queue?claims=2#claims-title'), '/x')).toBe('/vendor/funds/queue?claims=2#claims-title')
    expect(returnTo(new FormData(), '/x')).toBe('/x')
  })
  test('never another site or anything that is not a plain path', () => {
    for (const to of ['//evil.example', '//2130706433', 'https://evil.example/', '/\\evil.example', 'vendor', '/vendor#', '/vendor#<x>', '/vendor#x y', '/vendor#1x', '/vendor#x#y', '/vendor?a=<b>', '/vendor\n']) {
      expect(returnTo(form(to), '/x'), to).toBe('/x')
    }
  })
})
