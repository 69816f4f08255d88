// The co-brand monogram (shown when a partner has no logo) reads at WCAG AA (4.5:1) whatever the partner's colours.
import { expect, test } from 'vitest'
import { brandOf, contrastRatio, monogramText, renderCobrandedHtml } from '../../app/cobrand.server.ts'

test('contrast ratios follow WCAG', () => {
  expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5)
  expect(contrastRatio('#777777', '#777777')).toBe(1)
})

test('the monogram keeps the primary colour when it reads on the secondary, else black or white', () => {
  const palettes = [['#1f41b8', '#eef4ff'], ['#0d6e64', '#1e293b'], ['#ff8800', '#ffaa00'], ['#777777', '#888888'], ['#ffffff', '#000000'], ['#123456', '#123456']]
  for (const [primaryColor, secondaryColor] of palettes) {
    const text = monogramText({ primaryColor: primaryColor!, secondaryColor: secondaryColor! })
    expect(contrastRatio(text, secondaryColor!)).toBeGreaterThanOrEqual(4.5)
  }
  expect(monogramText({ primaryColor: '#1f41b8', secondaryColor: '#eef4ff' })).toBe('#1f41b8')
  // teal on slate was 2.5:1
  expect(contrastRatio('#0d6e64', '#1e293b')).toBeLessThan(4.5)
  expect(monogramText({ primaryColor: '#0d6e64', secondaryColor: '#1e293b' })).toBe('#ffffff')
})

test("the HTML co-brand's monogram uses the readable colour", () => {
  const brand = brandOf({ displayName: 'Northwind IT', logoUrl: null, contactName: 'Maria', contactEmail: 'm@n.example', primaryColor: '#0d6e64', secondaryColor: '#1e293b' }, { company: 'x', contactName: 'x', contactEmail: 'x' })
  const html = renderCobrandedHtml({ title: 'T', description: 'D', version: 1 }, brand)
  expect(html).toContain('pl-monogram')
  expect(html).toMatch(/\.pl-monogram\{[^}]*color:#ffffff;background:#1e293b\}/)
})
