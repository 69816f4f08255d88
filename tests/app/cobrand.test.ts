// Co-branded renders: profile text can never inject markup (HTML escapes it, PDF draws it as plain text); colours are #rrggbb.
import { inflateSync } from 'node:zlib'
import { PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream } from 'pdf-lib'
import sharp from 'sharp'
import { describe, expect, test } from 'vitest'
import { brandOf, cobrandLogo, escapeHtml, MAX_BANDED_PAGES, MAX_PDF_RENDERS, pdfRenders, pdfSafe, renderCobrandedHtml, renderCobrandedPdf, safeColor, safeLogoUrl } from '../../app/cobrand.server.ts'
import { MAX_INPUT_PIXELS, normaliseLogo, PDF_LOGO_BOX } from '../../app/images.server.ts'
import { demoHtml, demoPdf } from '../../app/seed/enablement.server.ts'

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

const sha = 'c'.repeat(64)
const profile = (logoUrl: string | null) => ({ displayName: 'Northwind IT', logoUrl, contactName: 'Maria', contactEmail: 'maria@northwind.example', primaryColor: '#0d6e64', secondaryColor: '#f2b705' })
const fallback = { company: 'Northwind', contactName: 'Maria', contactEmail: 'maria@northwind.example' }
const solid = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#0d6e64' } }).png({ compressionLevel: 9 }).toBuffer()

/** every image drawn into the PDF: its pixel size and the bytes it takes in the file */
async function imagesIn(bytes: Uint8Array) {
  const pdf = await PDFDocument.load(bytes)
  const images: { width: number; height: number; bytes: number }[] = []
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream) || object.dict.get(PDFName.of('Subtype')) !== PDFName.of('Image')) continue
    if (object.dict.get(PDFName.of('SMask')) === undefined && object.dict.get(PDFName.of('ColorSpace')) === PDFName.of('DeviceGray')) continue // an alpha mask
    const n = (key: string) => (object.dict.get(PDFName.of(key)) as PDFNumber).asNumber()
    images.push({ width: n('Width'), height: n('Height'), bytes: object.contents.byteLength })
  }
  return images
}

describe('co-brand logos', () => {
  test('our logo is rendered as its path, also from old events that stored an absolute URL: their host is never used', () => {
    for (const stored of [`/logos/northwind/${sha}`, `http://localhost:3000/logos/northwind/${sha}`, `https://evil.example/logos/northwind/${sha}?x=1#y`]) {
      expect(safeLogoUrl(stored)).toBe(`/logos/northwind/${sha}`)
      expect(brandOf(profile(stored), fallback).logoUrl).toBe(`/logos/northwind/${sha}`)
    }
    expect(safeLogoUrl('https://evil.example/logos/northwind/not-a-hash')).toBeNull()
    expect(safeLogoUrl('https://cdn.example/brand/logo.png')).toBe('https://cdn.example/brand/logo.png')
  })

  test('co-branded HTML carries our logo inside the file, whatever host an old event stored', async () => {
    const logo = await cobrandLogo({ bytes: await solid(900, 300) })
    expect(logo).not.toBeNull()
    for (const stored of [`/logos/northwind/${sha}`, `https://evil.example/logos/northwind/${sha}`]) {
      const brand = brandOf(profile(stored), fallback)
      for (const html of [renderCobrandedHtml(asset, brand, null, logo), renderCobrandedHtml(asset, brand, { bytes: demoHtml('Story', '<p>{{partner.name}}</p>'), contentType: 'text/html', filename: 's.html' }, logo)]) {
        expect(html).toMatch(/<img class="pl-logo" src="data:image\/png;base64,[A-Za-z0-9+/]+(&#61;)*"/)
        expect(html).not.toContain('evil.example')
        expect(html).not.toContain('/logos/')
      }
      // without the file the monogram stands in: a path would not load in a copy opened elsewhere
      const monogram = renderCobrandedHtml(asset, brand, null, null)
      expect(monogram).toContain('pl-monogram')
      expect(monogram).not.toContain('<img')
    }
    expect(renderCobrandedHtml(asset, brandOf(profile('https://cdn.example/logo.png'), fallback))).toContain('src="https://cdn.example/logo.png"')
  })

  test('a PDF with the largest logo accepted at upload embeds it re-encoded inside the PDF logo box', async () => {
    const side = Math.floor(Math.sqrt(MAX_INPUT_PIXELS))
    const largest = await solid(side, side)
    const brand = brandOf(profile(`/logos/northwind/${sha}`), fallback)
    // as uploaded (stored logos are already bounded) and as an older version may have stored it (raw)
    for (const bytes of [(await normaliseLogo(largest)).bytes, largest]) {
      const images = await imagesIn(await renderCobrandedPdf(asset, brand, null, { bytes }))
      expect(images).toHaveLength(1)
      expect(images[0]!.width).toBeLessThanOrEqual(PDF_LOGO_BOX)
      expect(images[0]!.height).toBeLessThanOrEqual(PDF_LOGO_BOX)
      expect(images[0]!.bytes).toBeLessThan(PDF_LOGO_BOX * PDF_LOGO_BOX * 4)
    }
  })

  test('a stored logo over the pixel limit is never decoded: the PDF shows the monogram', async () => {
    const bytes = await renderCobrandedPdf(asset, brandOf(profile(`/logos/northwind/${sha}`), fallback), null, { bytes: await solid(12000, 12000) })
    expect(await imagesIn(bytes)).toEqual([])
    expect(contentOf(bytes)).toContain(`<${hex('NI')}>`)
  })

  test('a PDF longer than the banded limit travels unchanged as an attachment behind the cover page', async () => {
    const long = await PDFDocument.create()
    for (let i = 0; i <= MAX_BANDED_PAGES; i++) long.addPage([200, 200])
    const source = { bytes: await long.save(), contentType: 'application/pdf', filename: 'long.pdf' }
    const bytes = await renderCobrandedPdf(asset, brand, source)
    const pdf = await PDFDocument.load(bytes)
    expect(pdf.getPageCount()).toBe(1)
    const names = pdf.catalog.lookup(PDFName.of('Names'), PDFDict)
    expect(names.get(PDFName.of('EmbeddedFiles'))).toBeDefined()
    const banded = await PDFDocument.load(await renderCobrandedPdf(asset, brand, { ...source, bytes: await demoPdf('Case', 'Story', ['One page.']) }))
    expect(banded.getPageCount()).toBe(2)
  })

  test('an HTML source of many unclosed <body tags gets the header in front, in one pass', () => {
    const html = renderCobrandedHtml(asset, brand, { bytes: new TextEncoder().encode('<body'.repeat(200_000)), contentType: 'text/html', filename: 'x.html' })
    expect(html.startsWith('<header class="pl-brand">')).toBe(true)
  })
})

test('at most MAX_PDF_RENDERS co-branded PDFs are made at once; the others wait their turn and all finish', async () => {
  const many = Array.from({ length: MAX_PDF_RENDERS + 3 }, () => renderCobrandedPdf(asset, brand))
  await Promise.resolve()
  expect(pdfRenders()).toEqual({ running: MAX_PDF_RENDERS, waiting: 3 })
  for (const bytes of await Promise.all(many)) expect((await PDFDocument.load(bytes)).getPageCount()).toBe(1)
  expect(pdfRenders()).toEqual({ running: 0, waiting: 0 })
})
