// A forged Host header (with X-Forwarded-Proto from the loopback proxy) never reaches the log, a page or a co-branded
// copy: logos are stored as paths, co-branded HTML carries the logo inside, shared links come from PUBLIC_URL.
// Uploaded logos are judged by their real dimensions: a 12000 × 12000 PNG is refused with its size named.
import http from 'node:http'
import { PDFDocument, PDFName, PDFNumber, PDFRawStream } from 'pdf-lib'
import sharp from 'sharp'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { demoAssets } from '../../app/seed/enablement.server.ts'
import { PDF_LOGO_BOX } from '../../app/images.server.ts'
import { createPGliteDriver } from '../../eventstore/postgres/pglite-driver.ts'
import { demoEmails, httpSession } from './http.ts'
import { startServer, type RunningServer } from './support.ts'

const FORGED = { Host: 'evil.example', 'X-Forwarded-Proto': 'https' }
let server: RunningServer

/** fetch cannot set Host: plain node:http, with a cookie jar, every request carrying the forged headers */
function forgedSession(baseUrl: string) {
  const cookies = new Map<string, string>()
  const send = (method: string, path: string, body?: { bytes: Buffer; type: string }) =>
    new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const url = new URL(path, baseUrl)
      const request = http.request(url, {
        method,
        headers: {
          ...FORGED,
          Cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          ...(body ? { 'Content-Type': body.type, 'Content-Length': String(body.bytes.byteLength) } : {}),
        },
      }, (response) => {
        for (const line of response.headers['set-cookie'] ?? []) {
          const [pair] = line.split(';')
          const index = pair!.indexOf('=')
          cookies.set(pair!.slice(0, index), pair!.slice(index + 1))
        }
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }))
      })
      request.on('error', reject)
      request.end(body?.bytes)
    })
  const csrfOf = (html: Buffer) => html.toString().match(/name="csrf" value="([^"]+)"/)![1]!
  return {
    get: (path: string) => send('GET', path),
    async post(path: string, fields: Record<string, string | Blob>) {
      const form = new FormData()
      form.set('csrf', csrfOf((await send('GET', path)).body))
      for (const [key, value] of Object.entries(fields)) form.set(key, value)
      const encoded = new Request('http://form.invalid/', { method: 'POST', body: form })
      return send('POST', path, { bytes: Buffer.from(await encoded.arrayBuffer()), type: encoded.headers.get('content-type')! })
    },
  }
}

/** every image XObject in a PDF, by pixel size */
async function pdfImages(bytes: Uint8Array) {
  const pdf = await PDFDocument.load(bytes)
  const sizes: { width: number; height: number }[] = []
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream) || object.dict.get(PDFName.of('Subtype')) !== PDFName.of('Image')) continue
    if (object.dict.get(PDFName.of('ColorSpace')) === PDFName.of('DeviceGray')) continue // the logo's alpha mask
    const n = (key: string) => (object.dict.get(PDFName.of(key)) as PDFNumber).asNumber()
    sizes.push({ width: n('Width'), height: n('Height') })
  }
  return sizes
}

let assetUrls: string[] = []

beforeAll(async () => {
  server = await startServer()
  const vendor = await httpSession(server.url, demoEmails.channelManager)
  // co-brandable assets to copy: one HTML, one PDF
  for (const a of demoAssets.filter((a) => a.coBrandable && a.audience === 'thru_partner').slice(0, 2)) {
    const page = await (await vendor.get('/vendor/enablement/assets/new')).text()
    const commandId = page.match(/name="commandId" value="([^"]+)"/)![1]!
    const file = await a.file()
    const response = await vendor.post('/vendor/enablement/assets/new', {
      title: a.title, description: a.description, tags: a.tags.join(', '), audience: a.audience, assetType: a.assetType, product: a.product ?? '',
      language: a.language, coBrandable: 'on', minimumTier: '', requiredCertification: '', geographies: '', commandId,
      file: new File([file.bytes as BlobPart], file.filename),
    })
    expect(response.status).toBe(302)
    assetUrls.push(response.headers.get('location')!.replace('/vendor/enablement/assets/', '/partner/library/'))
  }
  assetUrls = assetUrls.map((u) => new URL(u, server.url).pathname)
}, 120_000)

afterAll(() => server?.stop())

test('a profile saved with Host: evil.example stores and renders no evil.example; a 12000 × 12000 logo is refused', async () => {
  const maria = forgedSession(server.url)
  const signIn = await maria.post('/login', { email: demoEmails.partnerA, password: 'partnerlog' })
  expect(signIn.status).toBe(302)
  const profile = { intent: 'profile', displayName: 'Northwind IT', contactName: 'Maria Jensen', contactEmail: 'partners@northwind.example', primaryColor: '#0d6e64', secondaryColor: '#f2b705' }

  const bomb = await sharp({ create: { width: 12000, height: 12000, channels: 3, background: '#0d6e64' } }).png({ compressionLevel: 9 }).toBuffer()
  const refused = await maria.post('/partner/team', { ...profile, logo: new File([new Uint8Array(bomb)], 'logo.png', { type: 'image/png' }) })
  expect(refused.status).toBe(400)
  expect(refused.body.toString()).toContain('The logo is 12000 × 12000 pixels (144 megapixels); the limit is 40 megapixels.')

  const photo = await sharp({ create: { width: 2400, height: 800, channels: 4, background: { r: 13, g: 110, b: 100, alpha: 0.5 } } }).png().toBuffer()
  const saved = await maria.post('/partner/team', { ...profile, logo: new File([new Uint8Array(photo)], 'logo.png', { type: 'image/png' }) })
  expect(saved.status).toBe(302)

  const team = (await maria.get('/partner/team')).body.toString()
  expect(team).not.toContain('evil.example')
  const src = team.match(/<img src="([^"]+)" alt="Northwind IT logo"/)![1]!
  expect(src).toMatch(/^\/logos\/northwind\/[0-9a-f]{64}$/)
  // stored re-encoded inside 512 × 512
  const stored = await maria.get(src)
  expect(stored.status).toBe(200)
  expect(await sharp(stored.body).metadata()).toMatchObject({ format: 'png', width: 512, height: 171 })

  for (const path of ['/partner/library', ...assetUrls]) {
    const page = (await maria.get(path)).body.toString()
    expect(page, path).not.toContain('evil.example')
    expect(page, path).toContain(`src="${src}"`)
  }
  for (const assetUrl of assetUrls) {
    const html = await maria.get(`${assetUrl}/cobrand/html`)
    expect(html.status).toBe(200)
    expect(html.body.toString()).not.toContain('evil.example')
    expect(html.body.toString()).toMatch(/<img class="pl-logo" src="data:image\/png;base64,/)
    const pdf = await maria.get(`${assetUrl}/cobrand/pdf`)
    expect(pdf.status).toBe(200)
    expect(pdf.body.toString('latin1')).not.toContain('evil.example')
    const images = await pdfImages(pdf.body)
    expect(images.length).toBeGreaterThan(0)
    for (const image of images) expect(Math.max(image.width, image.height)).toBeLessThanOrEqual(PDF_LOGO_BOX)
  }

  // the vendor's address to share is built from PUBLIC_URL, not from the forged host
  const sam = forgedSession(server.url)
  expect((await sam.post('/login', { email: demoEmails.channelManager, password: 'partnerlog' })).status).toBe(302)
  const applications = (await sam.get('/vendor/applications')).body.toString()
  expect(applications).not.toContain('evil.example')

  // and the log holds the path, not an address
  server.process.kill('SIGTERM')
  await new Promise((resolve) => (server.process.exitCode === null ? server.process.once('exit', resolve) : resolve(null)))
  const db = await createPGliteDriver({ dataDir: `${server.dataDir}/pglite` })
  try {
    const rows = await db.query<{ data: unknown }>(`select data from events where type = 'PartnerProfileSet'`)
    expect(rows.rows.length).toBeGreaterThan(0)
    const text = JSON.stringify(rows.rows)
    expect(text).not.toContain('evil.example')
    expect(text).toContain(`"logoUrl":"${src}"`)
  } finally {
    await db.close()
  }
}, 120_000)
