// What the user typed into search becomes the query: whitespace and control characters (PostgreSQL refuses NUL) are
// spaces, and the cap counts characters, so an emoji is never cut in half into a lone surrogate.
import { describe, expect, test } from 'vitest'
import { normaliseQuery } from '../../app/queries/search.server.ts'

describe('normaliseQuery', () => {
  test('control characters and runs of whitespace become one space, trimmed', () => {
    expect(normaliseQuery('  Maria\u0000Jensen\t\n\u0007 Ltd\u007f ')).toBe('Maria Jensen Ltd')
    expect(normaliseQuery('\u0000')).toBe('')
    expect(normaliseQuery(null)).toBe('')
  })
  test('capped at 100 characters without splitting a surrogate pair', () => {
    const capped = normaliseQuery(`${'x'.repeat(99)}😀😀`)
    expect(capped).toBe(`${'x'.repeat(99)}😀`)
    expect(capped).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/)
  })
})
