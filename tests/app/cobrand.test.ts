// Co-branded renders: profile text can never inject markup (HTML escapes it, PDF draws it as plain text); colours are #rrggbb.
import { inflateSync } from 'node:zlib'
import { PDFDocument } from 'pdf-lib'
import { describe, expect, test } from 'vitest'
import { brandOf, escapeHtml, pdfSafe, renderCobrandedHtml, renderCobrandedPdf, safeColor, safeLogoUrl } from '../../app/cobrand.server.ts'
import { demoHtml, demoPdf } from '../../app/commands/enablement.server.ts'

const evil = '<script>alert(1)</script>'
const brand = brandOf(
  { displayName: evil, logoUrl: 'javascript:alert(1)', contactName: '"><img src=x onerror=alert(2)>', contactEmail: 'x@y.example', primaryColor: 'red;}</style><script>alert(3)</script>', secondaryColor: '#ABCDEF' },
  { company: 'fallback', contactName: 'f', contactEmail: 'f@f.example' },
)
const asset = { title: 'Case study', description: 'A hospital restores in minutes.', version: 2 }

/** every content stream of the PDF, inflated, concatenated */
function contentOf(bytes: Uint8Array): string {
  const raw = Buffer.from(bytes).toString('latin1')
  let out = ''
  const re = /stream\r?\n/g
  let m: RegExpExecArray | null
  while ((m = re.exec(raw))) {
    const start = m.index + m[0].length
    const end = raw.indexOf('endstream', start)
    if (end < 0) break
    const chunk = Buffer.from(raw.slice(start, end), 'latin1')
    try { out += inflateSync(chunk).toString('latin1') } catch { out += chunk.toString('latin1') }
    re.lastIndex = end + 'endstream'.length
  }
  return out
}
const hex = (text: string) => Buffer.from(text, 'latin1').toString('hex').toUpperCase()

describe('co-brand', () => {
  test('colours are #rrggbb or the fallback; logos only https or our own paths', () => {
    expect(brand.primaryColor).toBe('#1f41b8')
    expect(brand.secondaryColor).toBe('#abcdef')
    expect(safeColor('#12345', '#000000')).toBe('#000000')
    expect(safeColor('#123456; x', '#000000')).toBe('#000000')
    expect(brand.logoUrl).toBeNull()
    expect(safeLogoUrl('http://x.example/a.png')).toBeNull()
    expect(safeLogoUrl('https://x.example/a.png?"><b>')).toBe('https://x.example/a.png?%22%3E%3Cb%3E')
    expect(safeLogoUrl(`/logos/p1/${'a'.repeat(64)}`)).toBe(`/logos/p1/${'a'.repeat(64)}`)
    expect(escapeHtml(`<a href="x" onclick='y'>&`)).not.toMatch(/[<>"']/)
  })

  test('a profile name like <script>alert(1)</script> renders escaped in HTML (cover page and HTML source)', () => {
    for (const html of [renderCobrandedHtml(asset, brand), renderCobrandedHtml(asset, brand, { bytes: demoHtml('Restore test', '<p>Hi from {{partner.name}}</p>'), contentType: 'text/html; charset=utf-8', filename: 'e.html' })]) {
      expect(html).not.toContain('<script')
      expect(html).not.toContain('<img src=x')
      expect(html).not.toContain('alert(3)')
      expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62;')
      expect(html).toContain('background:#1f41b8')
    }
    const filled = renderCobrandedHtml(asset, brand, { bytes: demoHtml('Restore test', '<p>Hi from {{partner.name}}</p>'), contentType: 'text/html', filename: 'e.html' })
    expect(filled).toContain('<p>Hi from &#60;script&#62;')
    expect(filled).not.toContain('{{partner.')
    expect(filled).toContain('class="pl-brand"')
  })

  test('in PDF the same name is plain text drawn with a font, and the file has no JavaScript', async () => {
    for (const source of [null, { bytes: await demoPdf('Case', 'Story', ['One page.']), contentType: 'application/pdf', filename: 'c.pdf' }]) {
      const bytes = await renderCobrandedPdf(asset, brand, source)
      const pdf = await PDFDocument.load(bytes)
      expect(pdf.getPageCount()).toBe(source ? 2 : 1)
      expect(pdf.getTitle()).toBe(`Case study · ${evil}`)
      const content = contentOf(bytes)
      expect(content).toContain(`<${hex(evil)}>`)
      expect(content).toMatch(/Tj/)
      const raw = Buffer.from(bytes).toString('latin1')
      expect(raw).not.toMatch(/\/JavaScript|\/JS\b|\/OpenAction|\/AA\b/)
    }
  })

  test('text outside WinAnsi becomes "?" instead of failing', async () => {
    expect(pdfSafe('Zürich 北京 – ok\u0000')).toBe('Zürich ?? – ok')
    const bytes = await renderCobrandedPdf(asset, brandOf({ displayName: '北京 Partners', logoUrl: null, contactName: 'Ann', contactEmail: 'a@b.example', primaryColor: '#ffee00', secondaryColor: '#000000' }, { company: '', contactName: '', contactEmail: '' }))
    expect((await PDFDocument.load(bytes)).getPageCount()).toBe(1)
  })
})
