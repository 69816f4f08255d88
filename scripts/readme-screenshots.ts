// Takes README's screenshots from the demo program: a fresh server with SEED=demo, each role signed in, in Chromium.
//   npm run build && npx tsx scripts/readme-screenshots.ts   (writes docs/screenshots/demo/*.png)
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, root, signIn, startServer } from '../tests/e2e/support.ts'

const outDir = path.join(root, 'docs/screenshots/demo')
type Shot = { name: string; path: string; phone?: boolean; before?: (page: Page) => Promise<void> }

const byRole: Record<string, Shot[]> = {
  'maria@northwind.example': [
    { name: 'partner-home', path: '/partner' },
    { name: 'partner-home-phone', path: '/partner', phone: true },
    { name: 'partner-library', path: '/partner/library' },
    { name: 'partner-deals', path: '/partner/deals' },
    { name: 'partner-funds', path: '/partner/funds' },
    { name: 'partner-training', path: '/partner/training' },
  ],
  'sam@vendor.example': [
    { name: 'vendor-queues', path: '/vendor' },
    { name: 'vendor-queues-phone', path: '/vendor', phone: true },
    { name: 'vendor-partners', path: '/vendor/partners' },
    { name: 'vendor-partner-story', path: '/vendor/partners/northwind' },
    { name: 'vendor-funds-queue', path: '/vendor/funds/queue' },
    { name: 'vendor-accounts', path: '/vendor/accounts' },
  ],
  'vera@vendor.example': [
    { name: 'vendor-program', path: '/vendor/program' },
    { name: 'vendor-settings', path: '/vendor/settings' },
  ],
  'alex@vendor.example': [
    { name: 'auditor-timeline', path: '/audit' },
    {
      name: 'auditor-as-of', path: '/audit/partners',
      before: async (page) => {
        // the demo was recorded today, so a year ago it reads as it happened (business time)
        await page.locator('#as-of-date').fill(new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10))
        await page.locator('#as-of-clock').selectOption('occurred')
        await page.getByRole('button', { name: 'Apply' }).click()
        await page.waitForLoadState('networkidle')
      },
    },
    {
      name: 'auditor-verify', path: '/audit/verify',
      before: async (page) => {
        await page.getByRole('button', { name: 'Run verification' }).first().click()
        await page.getByText(/Every hash and link holds|broken/i).first().waitFor({ timeout: 120_000 })
      },
    },
  ],
}

async function shoot(browser: Browser, baseUrl: string, email: string, shots: Shot[]) {
  for (const phone of [false, true]) {
    const list = shots.filter((shot) => Boolean(shot.phone) === phone)
    if (!list.length) continue
    const context = await browser.newContext(phone ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 } : { viewport: { width: 1280, height: 1000 } })
    const page = await context.newPage()
    await signIn(page, baseUrl, email)
    for (const shot of list) {
      await page.goto(`${baseUrl}${shot.path}`)
      await shot.before?.(page)
      await page.screenshot({ path: path.join(outDir, `${shot.name}.png`) })
      console.log(`${shot.name}.png`)
    }
    await context.close()
  }
}

fs.mkdirSync(outDir, { recursive: true })
const server = await startServer({ SEED: 'demo' })
const browser = await launchBrowser()
try {
  for (const [email, shots] of Object.entries(byRole)) await shoot(browser, server.url, email, shots)
} finally {
  await browser.close()
  await server.stop()
}
