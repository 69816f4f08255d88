// Co-branded renders of assets: the partner's name, logo, contact and colours in HTML and PDF. Profile text is
// untrusted: escaped in HTML, plain glyphs in PDF; colours only #rrggbb, logos only https or ours.
import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFImage, type PDFPage } from 'pdf-lib'
import { boundedPng, ImageRefused, PDF_LOGO_BOX, type EncodedImage } from './images.server.ts'

export type Brand = {
  name: string
  contactName: string
  contactEmail: string
  primaryColor: string
  secondaryColor: string
  /** https URL or a path on this site (/logos/...), never an address of ours with a host, else null */
  logoUrl: string | null
}
export type CobrandAsset = { title: string; description: string; version: number }
export type SourceFile = { bytes: Uint8Array; contentType: string; filename: string }
export type LogoFile = { bytes: Uint8Array }

const DEFAULT_PRIMARY = '#1f41b8'
const DEFAULT_SECONDARY = '#eef4ff'

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`=]/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** a colour exactly as #rrggbb (lower-cased), or the fallback: nothing else ever reaches CSS or the PDF */
export function safeColor(value: string | null | undefined, fallback: string): string {
  return typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value) ? value.toLowerCase() : fallback
}

const LOGO_PATH = /^\/logos\/[A-Za-z0-9._~%-]{1,200}\/[0-9a-f]{64}$/

/** A logo reference safe to render: our own as its /logos/ path (even from an absolute URL), or an https address. */
export function safeLogoUrl(value: string | null | undefined): string | null {
  if (!value) return null
  if (LOGO_PATH.test(value)) return value
  try {
    const url = new URL(value)
    if ((url.protocol === 'https:' || url.protocol === 'http:') && url.pathname.startsWith('/logos/')) return LOGO_PATH.test(url.pathname) ? url.pathname : null
    return url.protocol === 'https:' ? url.href : null
  } catch {
    return null
  }
}

/** the logo for co-branded copies: PNG inside PDF_LOGO_BOX, or null when the stored file is not a usable image */
export async function cobrandLogo(logo: LogoFile | null | undefined): Promise<EncodedImage | null> {
  if (!logo) return null
  try {
    return await boundedPng(logo.bytes, PDF_LOGO_BOX, 'The logo')
  } catch (error) {
    if (error instanceof ImageRefused) return null
    throw error
  }
}

/** the brand from a partner profile, falling back to the company name, the acting user and the portal colours */
export function brandOf(
  profile: { displayName: string; logoUrl: string | null; contactName: string; contactEmail: string; primaryColor: string; secondaryColor: string } | null,
  fallback: { company: string; contactName: string; contactEmail: string },
): Brand {
  return {
    name: (profile?.displayName ?? fallback.company).slice(0, 120),
    contactName: (profile?.contactName ?? fallback.contactName).slice(0, 120),
    contactEmail: (profile?.contactEmail ?? fallback.contactEmail).slice(0, 200),
    primaryColor: safeColor(profile?.primaryColor, DEFAULT_PRIMARY),
    secondaryColor: safeColor(profile?.secondaryColor, DEFAULT_SECONDARY),
    logoUrl: safeLogoUrl(profile?.logoUrl),
  }
}

export function initials(name: string): string {
  const words = name.match(/[\p{L}\p{N}]+/gu) ?? []
  return (words.slice(0, 2).map((w) => w[0]!.toUpperCase()).join('') || '?').slice(0, 2)
}

/** WCAG relative luminance of a #rrggbb colour */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

/** WCAG contrast ratio of two #rrggbb colours (1 to 21) */
export function contrastRatio(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((m, n) => n - m) as [number, number]
  return (x + 0.05) / (y + 0.05)
}

/** black or white text, whichever reads better on the colour (at least 4.5:1 on any colour) */
export function textOn(hex: string): '#000000' | '#ffffff' {
  return luminance(hex) > 0.179 ? '#000000' : '#ffffff'
}

/** the monogram's letters: the partner's primary colour on its secondary when that reads at 4.5:1, else black or white */
export function monogramText(brand: Pick<Brand, 'primaryColor' | 'secondaryColor'>): string {
  return contrastRatio(brand.primaryColor, brand.secondaryColor) >= 4.5 ? brand.primaryColor : textOn(brand.secondaryColor)
}

/** the Content-Security-Policy served with co-branded HTML: no script runs, whatever the content */
export const COBRAND_CSP = "sandbox; default-src 'none'; img-src 'self' https: data:; style-src 'unsafe-inline'; font-src 'none'; form-action 'none'; frame-ancestors 'self'"

/** our logo travels inside the file (data: URI), so the copy shows it anywhere; other logos stay https */
function logoSrc(brand: Brand, logo: EncodedImage | null | undefined): string | null {
  if (!brand.logoUrl) return null
  if (!brand.logoUrl.startsWith('/')) return brand.logoUrl
  return logo ? `data:${logo.contentType};base64,${Buffer.from(logo.bytes).toString('base64')}` : null
}

function brandHeader(brand: Brand, e: (s: string) => string, src: string | null) {
  const logo = src
    ? `<img class="pl-logo" src="${e(src)}" alt="${e(brand.name)} logo" referrerpolicy="no-referrer">`
    : `<span class="pl-logo pl-monogram" aria-hidden="true">${e(initials(brand.name))}</span>`
  return `<header class="pl-brand">${logo}<div><div class="pl-name">${e(brand.name)}</div><div class="pl-contact">${e(brand.contactName)} · <a href="mailto:${e(encodeURI(brand.contactEmail))}">${e(brand.contactEmail)}</a></div></div></header>`
}

function brandStyle(brand: Brand) {
  // only validated #rrggbb values reach the stylesheet
  const fg = textOn(brand.primaryColor)
  return `<style>
.pl-brand{display:flex;align-items:center;gap:16px;padding:16px 24px;background:${brand.primaryColor};color:${fg};font-family:system-ui,sans-serif}
.pl-brand a{color:${fg}}
.pl-logo{width:48px;height:48px;border-radius:8px;object-fit:contain;background:#fff}
.pl-monogram{display:inline-flex;align-items:center;justify-content:center;font-weight:700;font-size:20px;color:${monogramText(brand)};background:${brand.secondaryColor}}
.pl-name{font-size:20px;font-weight:600}
.pl-contact{font-size:14px;opacity:.95}
.pl-footer{margin-top:32px;padding:12px 24px;border-top:4px solid ${brand.secondaryColor};font:13px system-ui,sans-serif;color:#333}
</style>`
}

/** inserts after the first <body …> tag, else in front (indexOf: a regex would be quadratic on unclosed tags) */
function afterBodyTag(html: string, insert: string): string {
  const start = html.search(/<body/i)
  const end = start < 0 ? -1 : html.indexOf('>', start)
  return end < 0 ? `${insert}${html}` : `${html.slice(0, end + 1)}${insert}${html.slice(end + 1)}`
}

/** HTML with the brand: an HTML source gets header, footer and placeholders; any other file a cover page. */
export function renderCobrandedHtml(asset: CobrandAsset, brand: Brand, source?: SourceFile | null, logo?: EncodedImage | null): string {
  const e = escapeHtml
  const header = brandHeader(brand, e, logoSrc(brand, logo))
  const footer = `<footer class="pl-footer">Presented by ${e(brand.name)} · ${e(brand.contactName)} · ${e(brand.contactEmail)}</footer>`
  const placeholders: Record<string, string> = {
    'partner.name': e(brand.name),
    'partner.contactName': e(brand.contactName),
    'partner.contactEmail': e(brand.contactEmail),
    'partner.primaryColor': brand.primaryColor,
    'partner.secondaryColor': brand.secondaryColor,
  }
  if (source && /^text\/html\b/.test(source.contentType)) {
    let html = new TextDecoder().decode(source.bytes)
    html = html.replace(/\{\{\s*(partner\.[A-Za-z]+)\s*\}\}/g, (whole, key: string) => placeholders[key] ?? whole)
    const head = brandStyle(brand)
    html = /<\/head>/i.test(html) ? html.replace(/<\/head>/i, `${head}</head>`) : `${head}${html}`
    html = afterBodyTag(html, header)
    html = /<\/body>/i.test(html) ? html.replace(/<\/body>/i, `${footer}</body>`) : `${html}${footer}`
    return html
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(asset.title)} · ${e(brand.name)}</title>${brandStyle(brand)}
<style>body{margin:0;font-family:system-ui,sans-serif;color:#111}main{max-width:720px;margin:0 auto;padding:32px 24px}h1{font-size:28px;margin:0 0 12px}p{line-height:1.6}</style></head>
<body>${header}<main><h1>${e(asset.title)}</h1><p>${e(asset.description)}</p>${source ? `<p>The full document (${e(source.filename)}) is available from ${e(brand.name)} on request.</p>` : ''}
<p>Questions? Contact ${e(brand.contactName)} at <a href="mailto:${e(encodeURI(brand.contactEmail))}">${e(brand.contactEmail)}</a>.</p></main>${footer}</body></html>`
}

// Helvetica (WinAnsi) draws Latin-1 only: anything else becomes "?" rather than failing
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ')
export function pdfSafe(text: string): string {
  let out = ''
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0)!
    if (code === 9 || code === 10) out += ' '
    else if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch)) out += ch
    else if (code < 0x20 || code === 0x7f) continue
    else out += '?'
  }
  return out
}

function hexToRgb(hex: string) {
  return rgb(parseInt(hex.slice(1, 3), 16) / 255, parseInt(hex.slice(3, 5), 16) / 255, parseInt(hex.slice(5, 7), 16) / 255)
}

function wrap(text: string, font: PDFFont, size: number, width: number, maxLines = 12): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word
    if (font.widthOfTextAtSize(candidate, size) <= width) line = candidate
    else {
      if (line) lines.push(line)
      line = word
      while (font.widthOfTextAtSize(line, size) > width && line.length > 1) {
        let cut = line.length - 1
        while (cut > 1 && font.widthOfTextAtSize(line.slice(0, cut), size) > width) cut--
        lines.push(line.slice(0, cut))
        line = line.slice(cut)
      }
    }
    if (lines.length >= maxLines) break
  }
  if (line && lines.length < maxLines) lines.push(line)
  return lines
}

/** pdf-lib decodes PNGs on the event loop: only a logo re-encoded inside PDF_LOGO_BOX reaches it */
async function embedLogo(pdf: PDFDocument, logo: LogoFile | null | undefined): Promise<PDFImage | null> {
  const bounded = await cobrandLogo(logo)
  if (!bounded) return null
  try {
    return await pdf.embedPng(bounded.bytes)
  } catch {
    return null
  }
}

/** a longer PDF is attached unchanged: rewriting every page would hold the event loop too long */
export const MAX_BANDED_PAGES = 500
/** pages drawn between two yields to the event loop */
const PAGES_PER_TICK = 50
const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve))

function drawLogo(page: PDFPage, brand: Brand, image: PDFImage | null, bold: PDFFont, x: number, y: number, size: number) {
  page.drawRectangle({ x, y, width: size, height: size, color: hexToRgb(brand.secondaryColor) })
  if (image) {
    const scaled = image.scaleToFit(size - 6, size - 6)
    page.drawImage(image, { x: x + (size - scaled.width) / 2, y: y + (size - scaled.height) / 2, width: scaled.width, height: scaled.height })
    return
  }
  const text = pdfSafe(initials(brand.name))
  const fontSize = size * 0.42
  page.drawText(text, { x: x + (size - bold.widthOfTextAtSize(text, fontSize)) / 2, y: y + size * 0.34, size: fontSize, font: bold, color: hexToRgb(monogramText(brand)) })
}

/** A PDF with the brand: a cover page, and on every page of a PDF source a footer band naming the partner. */
export async function renderCobrandedPdf(asset: CobrandAsset, brand: Brand, source?: SourceFile | null, logo?: LogoFile | null): Promise<Uint8Array> {
  return inTurn(() => renderPdf(asset, brand, source, logo))
}

/** renders at once in this process: each holds a parsed document, and more would share one core */
export const MAX_PDF_RENDERS = 2
let rendering = 0
const waiting: (() => void)[] = []
/** how many PDF renders run and wait now */
export const pdfRenders = () => ({ running: rendering, waiting: waiting.length })
async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (rendering >= MAX_PDF_RENDERS) await new Promise<void>((resolve) => waiting.push(resolve))
  else rendering++
  try {
    return await work()
  } finally {
    // hand the slot straight to the next in line, or free it
    const next = waiting.shift()
    if (next) next()
    else rendering--
  }
}

async function renderPdf(asset: CobrandAsset, brand: Brand, source?: SourceFile | null, logo?: LogoFile | null): Promise<Uint8Array> {
  let pdf: PDFDocument | null = null
  let sourcePages = 0
  if (source && source.contentType === 'application/pdf') {
    // pdf-lib parses in slices between which the event loop runs; the banded copy is bounded in pages
    const loaded = await PDFDocument.load(source.bytes, { ignoreEncryption: true, updateMetadata: false }).catch(() => null)
    if (loaded && loaded.getPageCount() <= MAX_BANDED_PAGES) {
      pdf = loaded
      sourcePages = loaded.getPageCount()
    }
  }
  // other files, unreadable PDFs and very long ones travel as an attachment behind the cover
  const attachSource = Boolean(source) && !pdf
  pdf ??= await PDFDocument.create()
  const font = await pdf.embedFont(StandardFonts.Helvetica)
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold)
  const image = await embedLogo(pdf, logo)
  const primary = hexToRgb(brand.primaryColor)
  const onPrimary = textOn(brand.primaryColor) === '#ffffff' ? rgb(1, 1, 1) : rgb(0, 0, 0)
  const name = pdfSafe(brand.name)
  const contact = pdfSafe(`${brand.contactName} · ${brand.contactEmail}`)

  const cover = pdf.insertPage(0, [595.28, 841.89])
  const { width, height } = cover.getSize()
  cover.drawRectangle({ x: 0, y: height - 150, width, height: 150, color: primary })
  drawLogo(cover, brand, image, bold, 48, height - 120, 72)
  cover.drawText(name, { x: 136, y: height - 78, size: 24, font: bold, color: onPrimary, maxWidth: width - 180 })
  cover.drawText(contact, { x: 136, y: height - 102, size: 12, font, color: onPrimary, maxWidth: width - 180 })
  let y = height - 230
  for (const line of wrap(pdfSafe(asset.title), bold, 28, width - 96, 3)) {
    cover.drawText(line, { x: 48, y, size: 28, font: bold, color: rgb(0.07, 0.09, 0.15) })
    y -= 36
  }
  y -= 8
  for (const line of wrap(pdfSafe(asset.description), font, 13, width - 96, 14)) {
    cover.drawText(line, { x: 48, y, size: 13, font, color: rgb(0.2, 0.22, 0.27) })
    y -= 19
  }
  cover.drawRectangle({ x: 48, y: 120, width: width - 96, height: 2, color: hexToRgb(brand.secondaryColor) })
  cover.drawText(pdfSafe(`Presented by ${brand.name}`), { x: 48, y: 96, size: 12, font: bold, color: rgb(0.07, 0.09, 0.15), maxWidth: width - 96 })
  cover.drawText(pdfSafe(`Your contact: ${brand.contactName}, ${brand.contactEmail}`), { x: 48, y: 78, size: 11, font, color: rgb(0.2, 0.22, 0.27), maxWidth: width - 96 })
  cover.drawText(pdfSafe(`Version ${asset.version}`), { x: 48, y: 48, size: 9, font, color: rgb(0.35, 0.37, 0.42) })

  // every page of the original gets a slim footer band with the partner's name and contact
  for (let i = 1; i <= sourcePages; i++) {
    if (i % PAGES_PER_TICK === 0) await nextTick()
    const page = pdf.getPage(i)
    const size = page.getSize()
    page.drawRectangle({ x: 0, y: 0, width: size.width, height: 28, color: primary })
    page.drawText(pdfSafe(`${brand.name} · ${brand.contactName} · ${brand.contactEmail}`), { x: 16, y: 10, size: 9, font, color: onPrimary, maxWidth: size.width - 32 })
  }
  if (source && attachSource) {
    await pdf.attach(source.bytes, source.filename, { mimeType: source.contentType, description: 'The original file' })
  }
  pdf.setTitle(pdfSafe(`${asset.title} · ${brand.name}`))
  pdf.setProducer('Partnerlog')
  pdf.setCreator('Partnerlog co-brand')
  return pdf.save()
}
