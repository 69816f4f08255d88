// People, partner administration and program settings through the real built server: applying and approval, invitations,
// the co-branding profile with its logo, settings changes, vendor staff, and every refusal for the roles that must not act.
// Each test makes the applications, colleagues and staff it needs through fixtures, so any one runs alone.
import { logoPng } from './logo-png.ts'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { beforeAll, describe, expect, test } from 'vitest'
import { addStaffMember, applyToProgram, inviteColleague, rejectWaitingApplications } from './fixtures.ts'
import { demoEmails, httpSession, type HttpSession } from './http.ts'
import { injectAxe, root, screenshot, signIn, serverAndBrowserForFile, type RunningServer } from './support.ts'

let server: RunningServer
let browser: Browser

serverAndBrowserForFile((s, b) => ((server = s), (browser = b)))

/** A small real PNG (a two-colour wordmark block), so the logo renders in screenshots. */

async function axe(page: Page) {
  await injectAxe(page)
  const result = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; help: string; nodes: { target: unknown }[] }[] }> } }).axe.run()
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`)
  })
  return result
}

async function newPage(viewport = { width: 1280, height: 900 }, javaScriptEnabled = true) {
  const context = await browser.newContext({ viewport, javaScriptEnabled })
  return { context, page: await context.newPage() }
}

describe('applying to the program', () => {
  test('an applicant applies (without JavaScript), and cannot sign in before approval', async () => {
    const applicant = { email: 'ana@fabrikam.example', password: 'fabrikam-secret-42' }
    const { context, page } = await newPage({ width: 1280, height: 900 }, false)
    await page.goto(`${server.url}/login`)
    const response = await page.goto(`${server.url}/apply`)
    expect(response?.status()).toBe(200)
    await page.getByRole('button', { name: 'Send application' }).click()
    await page.waitForSelector('#apply-company-error')
    expect(await page.locator('#apply-company-error').textContent()).toContain('company name')
    expect(await page.locator('#apply-segments-error').textContent()).toContain('segment')
    expect(await page.locator('#apply-partnerType-error').textContent()).toContain('Choose how')
    expect(await page.locator('#apply-password-error').textContent()).toContain('12 characters')
    await screenshot(page, 'people-apply-errors')

    await page.getByLabel('Company name').fill('Fabrikam Systems')
    await page.getByLabel('Web domain').fill('https://www.Fabrikam.example/about')
    await page.getByLabel('Countries or regions you serve').fill('NL, BE, LU')
    await page.getByLabel('Mid-market').check()
    await page.getByLabel('Enterprise').check()
    await page.getByRole('radio', { name: /^Managed service provider/ }).check()
    await page.getByLabel('Full name').fill('Ana Costa')
    await page.getByLabel('Work email').fill(applicant.email)
    await page.getByLabel('Password', { exact: true }).fill(applicant.password)
    await page.getByLabel('Repeat the password').fill('something-else-entirely')
    await page.getByRole('button', { name: 'Send application' }).click()
    await page.waitForSelector('#apply-confirmPassword-error')
    // passwords are never sent back to the browser
    expect(await page.content()).not.toContain(applicant.password)
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('')
    // ticked checkboxes survive the round trip
    expect(await page.getByLabel('Mid-market').isChecked()).toBe(true)
    expect(await page.getByLabel('Enterprise').isChecked()).toBe(true)
    await page.getByLabel('Password', { exact: true }).fill(applicant.password)
    await page.getByLabel('Repeat the password').fill(applicant.password)
    await page.getByRole('button', { name: 'Send application' }).click()
    await page.waitForURL((url) => url.pathname === '/login')
    expect(await page.textContent('body')).toContain('Application from Fabrikam Systems received')

    // not approved yet: the password does not work
    await page.getByLabel('Email').fill(applicant.email)
    await page.getByLabel('Password').fill(applicant.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForSelector('text=do not match an active account')
    await context.close()

    const { context: c2, page: p2 } = await newPage({ width: 1280, height: 900 })
    await p2.goto(`${server.url}/apply`)
    await screenshot(p2, 'people-apply')
    expect(await axe(p2)).toEqual([])
    await c2.close()
  })

  test('an email that already has an account cannot apply again', async () => {
    const { context, page } = await newPage()
    await page.goto(`${server.url}/apply`)
    await page.getByLabel('Company name').fill('Copycat Ltd')
    await page.getByLabel('Web domain').fill('copycat.example')
    await page.getByLabel('Countries or regions you serve').fill('UK')
    await page.getByLabel('Small business').check()
    await page.locator('input[name="partnerType"][value="reseller"]').check()
    await page.getByLabel('Full name').fill('Maria Again')
    await page.getByLabel('Work email').fill('maria@northwind.example')
    await page.getByLabel('Password', { exact: true }).fill('another-password-1')
    await page.getByLabel('Repeat the password').fill('another-password-1')
    await page.getByRole('button', { name: 'Send application' }).click()
    await page.waitForSelector('#apply-email-error')
    expect(await page.locator('#apply-email-error').textContent()).toContain('already belongs')
    await context.close()
  })

  test('the vendor approves it with a tier, and the applicant signs in as the partner admin', async () => {
    // the queue holds this application alone, so approving it empties the queue
    await rejectWaitingApplications(await httpSession(server.url, demoEmails.vendorAdmin))
    const applicant = await applyToProgram(server.url, { company: 'Fabrikam Systems', websiteDomain: 'https://www.Fabrikam.example/about', partnerType: 'msp', segments: ['mid-market', 'enterprise'], geographies: 'NL, BE, LU' })
    const { context, page } = await newPage()
    await signIn(page, server.url, demoEmails.channelManager)
    await page.goto(`${server.url}/vendor/applications`)
    const main = await page.textContent('main')
    expect(main).toContain('Fabrikam Systems')
    expect(main).toContain('fabrikam.example')
    expect(main).toContain('Managed service provider')
    await screenshot(page, 'people-applications')
    expect(await axe(page)).toEqual([])
    await page.getByRole('button', { name: 'Reject Fabrikam Systems' }).click()
    await page.waitForSelector('text=Give the applicant a reason')
    await page.getByLabel('Starting tier').selectOption('silver')
    await page.getByRole('button', { name: 'Approve Fabrikam Systems' }).click()
    await page.waitForSelector('text=Fabrikam Systems approved as Silver')
    expect(await page.textContent('main')).toContain('No applications waiting')
    await context.close()

    const { context: c2, page: p2 } = await newPage()
    await signIn(p2, server.url, applicant.email, applicant.password)
    expect(new URL(p2.url()).pathname).toBe('/partner')
    await p2.goto(`${server.url}/partner/team`)
    const team = await p2.textContent('main')
    expect(team).toContain(applicant.name)
    expect(team).toContain('Tier Silver')
    expect(await p2.getByRole('heading', { name: 'Invite a colleague' }).count()).toBe(1)
    await c2.close()
  })
})

describe('team and profile', () => {
  test('a partner admin invites a user, who signs in with the one-time password and sees the profile read-only', async () => {
    const invited = { email: 'jo@northwind.example', password: '' }
    const { context, page } = await newPage()
    await signIn(page, server.url, demoEmails.partnerA)
    await page.goto(`${server.url}/partner/team`)
    await page.getByRole('button', { name: 'Invite' }).click()
    await page.waitForSelector('#invite-name-error')
    await page.getByLabel('Full name').fill('Jo Becker')
    await page.getByLabel('Work email').fill(invited.email)
    await page.getByLabel('Role', { exact: true }).selectOption('partner_user')
    await page.getByRole('button', { name: 'Invite' }).click()
    await page.waitForSelector('[data-testid="initial-password"]')
    invited.password = (await page.locator('[data-testid="initial-password"]').textContent())!.trim()
    expect(invited.password).toMatch(/^[\w]{4}-[\w]{4}-[\w]{4}-[\w]{4}$/)
    expect(await page.textContent('main')).toContain('Jo Becker')
    await context.close()

    const { context: c2, page: p2 } = await newPage()
    await signIn(p2, server.url, invited.email, invited.password)
    await p2.goto(`${server.url}/partner/team`)
    expect(await p2.textContent('h1')).toBe('Profile')
    expect(await p2.getByRole('heading', { name: 'Invite a colleague' }).count()).toBe(0)
    expect(await p2.locator('input[name="displayName"]').count()).toBe(0)
    await c2.close()
  })

  test('the admin sets the co-branding profile with a logo; only allowed people can fetch the logo', async () => {
    const { context, page } = await newPage()
    await signIn(page, server.url, demoEmails.partnerA)
    await page.goto(`${server.url}/partner/team`)
    await page.getByLabel('Display name').fill('Northwind IT')
    await page.getByLabel('Contact person').fill('Maria Jensen')
    await page.getByLabel('Contact email').fill('not an email')
    await page.getByLabel('Logo').setInputFiles({ name: 'notes.txt', mimeType: 'image/png', buffer: Buffer.from('not an image') })
    await page.getByRole('button', { name: 'Save profile' }).click()
    await page.waitForSelector('#profile-contactEmail-error')
    await page.getByLabel('Contact email').fill('partners@northwind.example')
    await page.locator('#profile-primaryColor').fill('#0d6e64')
    await page.locator('#profile-secondaryColor').fill('#f2b705')
    await page.getByLabel('Logo').setInputFiles({ name: 'notes.txt', mimeType: 'image/png', buffer: Buffer.from('not an image') })
    await page.getByRole('button', { name: 'Save profile' }).click()
    await page.waitForSelector('#profile-logo-error')
    expect(await page.locator('#profile-logo-error').textContent()).toContain('PNG or JPEG')
    await page.getByLabel('Logo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: logoPng() })
    await page.getByRole('button', { name: 'Save profile' }).click()
    await page.waitForSelector('text=Co-branding profile for Northwind IT saved')
    const logo = page.locator('img[alt="Northwind IT logo"]')
    const src = await logo.getAttribute('src')
    expect(src).toMatch(/^\/logos\/northwind\/[0-9a-f]{64}$/)
    // the image may still be on its way after the page loaded: wait until it loaded or failed, then look at it
    const width = await logo.evaluate((img: HTMLImageElement) =>
      img.complete ? img.naturalWidth : new Promise<number>((resolve) => {
        const done = () => resolve(img.naturalWidth)
        img.addEventListener('load', done, { once: true })
        img.addEventListener('error', done, { once: true })
      }))
    expect(width).toBe(120)
    await screenshot(page, 'people-team')
    expect(await axe(page)).toEqual([])
    await page.setViewportSize({ width: 390, height: 844 })
    await screenshot(page, 'people-team-mobile')
    await context.close()

    const maria = await httpSession(server.url, demoEmails.partnerA)
    const li = await httpSession(server.url, demoEmails.partnerB)
    const sam = await httpSession(server.url, demoEmails.channelManager)
    const alex = await httpSession(server.url, demoEmails.auditor)
    const own = await maria.get(src!)
    expect(own.status).toBe(200)
    expect(own.headers.get('content-type')).toBe('image/png')
    expect((await sam.get(src!)).status).toBe(200)
    expect((await alex.get(src!)).status).toBe(200)
    expect((await li.get(src!)).status).toBe(404)
    // the route hands out only the partner's current logo, not any file by its hash
    expect((await maria.get(`/logos/northwind/${'0'.repeat(64)}`)).status).toBe(404)
    expect((await maria.get(src!.replace('northwind', 'contoso'))).status).toBe(404)
    const anonymous = await fetch(`${server.url}${src}`, { redirect: 'manual' })
    expect(anonymous.status).toBe(302)
  })
})

describe('partner administration, staff and settings (vendor)', () => {
  test('a vendor admin adds a channel manager to the staff', async () => {
    const { context, page } = await newPage()
    await signIn(page, server.url, demoEmails.vendorAdmin)
    await page.goto(`${server.url}/vendor/staff`)
    await page.getByLabel('Full name').fill('Kim Park')
    await page.getByLabel('Work email').fill('kim@vendor.example')
    await page.getByLabel('Role', { exact: true }).selectOption('channel_manager')
    await page.getByRole('button', { name: 'Add to staff' }).click()
    await page.waitForSelector('[data-testid="initial-password"]')
    const password = (await page.locator('[data-testid="initial-password"]').textContent())!.trim()
    expect(await page.textContent('main')).toContain('Kim Park')
    await screenshot(page, 'people-staff')
    expect(await axe(page)).toEqual([])
    await context.close()
    const kim = await httpSession(server.url, 'kim@vendor.example', password)
    expect((await kim.get('/vendor/applications')).status).toBe(200)
  })

  test('the channel manager reassigns the partner and changes its tier with a reason', async () => {
    // another channel manager to hand the partner to, and a user of the partner the admin page lists
    const manager = await addStaffMember(await httpSession(server.url, demoEmails.vendorAdmin), { name: 'Robin Shah', email: 'robin@vendor.example', role: 'channel_manager' })
    const colleague = await inviteColleague(await httpSession(server.url, demoEmails.partnerA), { name: 'Pat Meyer', email: 'pat@northwind.example' })
    const { context, page } = await newPage()
    await signIn(page, server.url, demoEmails.channelManager)
    await page.goto(`${server.url}/vendor/partners/northwind/admin`)
    expect(await page.textContent('main')).toContain('Currently Sam Rivera')
    await page.getByLabel('Reassign to').selectOption({ label: manager.name })
    await page.getByRole('button', { name: 'Reassign' }).click()
    await page.waitForSelector(`text=${manager.name} now manages Northwind IT`)
    await page.getByLabel('New tier').selectOption('gold')
    await page.getByRole('button', { name: 'Change tier' }).click()
    await page.waitForSelector('#change-tier-reason-error')
    await page.getByLabel('Reason').fill('Five won deals and three certifications this year')
    await page.getByRole('button', { name: 'Change tier' }).click()
    await page.waitForSelector('text=Northwind IT moved to tier Gold')
    const main = await page.textContent('main')
    expect(main).toContain(`Currently ${manager.name}`)
    expect(main).toContain('Five won deals')
    expect(main).toContain(colleague.name)
    await screenshot(page, 'people-partner-admin')
    expect(await axe(page)).toEqual([])
    await context.close()
  })

  test('a vendor admin changes the settings from today and schedules another; channel managers see them read-only', async () => {
    const { context, page } = await newPage()
    await signIn(page, server.url, demoEmails.vendorAdmin)
    await page.goto(`${server.url}/vendor/settings`)
    expect(await page.textContent('main')).toContain('nobody has changed them yet')
    const protection = page.getByLabel('Deal protection (days)')
    await protection.fill('0')
    await page.getByRole('button', { name: 'Save settings' }).click()
    // Conform shows the domain's bound under the field and points the field at it
    await expect.poll(() => protection.getAttribute('aria-invalid')).toBe('true')
    expect(await page.locator(`[id="${await protection.getAttribute('aria-describedby')}"]`).textContent()).toBe('Use more than 0')
    await protection.fill('120')
    // tier rows are a field list: one added and removed again, one added and kept
    await page.getByRole('button', { name: 'Add tier' }).click()
    await page.getByLabel('Tier 5 name').fill('scrap')
    await page.getByRole('button', { name: 'Remove tier 5' }).click()
    await page.getByLabel('Tier 5 name').waitFor({ state: 'detached' })
    await page.getByRole('button', { name: 'Add tier' }).click()
    expect(await page.getByLabel('Tier 5 name').inputValue()).toBe('')
    await page.getByLabel('Tier 5 name').fill('diamond')
    await page.getByLabel('Tier 5 rank').fill('4')
    await page.getByLabel('Tier 5 minimum certifications').fill('8')
    await page.getByLabel('Tier 5 minimum won deals').fill('25')
    await page.getByLabel('Tier 5 funds per quarter').fill('80000')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page.waitForSelector('text=Program settings saved; they take effect now')
    let main = await page.textContent('main')
    expect(main).toContain('Deal protection (days): 90 → 120')
    expect(main).toContain('Tier Diamond')
    expect(main).not.toContain('Scrap')
    expect(main).toContain('In force')

    await page.getByLabel('Review SLA (business days)').fill('3')
    await page.getByLabel('Takes effect on').fill('2099-01-01')
    await page.getByRole('button', { name: 'Save settings' }).click()
    await page.waitForSelector('text=they take effect on 1 Jan 2099')
    main = await page.textContent('main')
    expect(main).toContain('Scheduled')
    expect(main).toContain('Review SLA (business days): 2 → 3')
    await screenshot(page, 'people-settings')
    expect(await axe(page)).toEqual([])
    await context.close()

    const { context: c2, page: p2 } = await newPage()
    await signIn(p2, server.url, demoEmails.channelManager)
    await p2.goto(`${server.url}/vendor/settings`)
    expect(await p2.getByRole('button', { name: 'Save settings' }).count()).toBe(0)
    expect(await p2.getByLabel('Deal protection (days)').isDisabled()).toBe(true)
    // the approval form now offers the new tier
    await p2.goto(`${server.url}/vendor/partners/contoso/admin`)
    expect(await p2.locator('#change-tier-tier option[value="diamond"]').count()).toBe(1)
    await c2.close()
  })

  test('tier rows are added and removed without JavaScript too', async () => {
    const { context, page } = await newPage({ width: 1280, height: 900 }, false)
    await signIn(page, server.url, demoEmails.vendorAdmin)
    await page.goto(`${server.url}/vendor/settings`)
    const rows = await page.getByLabel(/^Tier \d+ name$/).count()
    await page.getByLabel('Tier 1 name').fill('entry')
    await page.getByRole('button', { name: 'Add tier' }).click()
    const added = page.getByLabel(`Tier ${rows + 1} name`)
    await added.waitFor()
    // what was typed stays
    expect(await page.getByLabel('Tier 1 name').inputValue()).toBe('entry')
    await page.getByRole('button', { name: `Remove tier ${rows + 1}` }).click()
    await added.waitFor({ state: 'detached' })
    expect(await page.getByLabel(/^Tier \d+ name$/).count()).toBe(rows)
    await context.close()
  })

  test('the applications page offers the action when empty', async () => {
    await rejectWaitingApplications(await httpSession(server.url, demoEmails.vendorAdmin))
    const { context, page } = await newPage({ width: 390, height: 844 })
    await signIn(page, server.url, demoEmails.vendorAdmin)
    await page.goto(`${server.url}/vendor/applications`)
    expect(await page.textContent('main')).toContain('No applications waiting')
    expect(await page.locator('[data-testid="apply-url"]').textContent()).toBe(`${server.url}/apply`)
    await screenshot(page, 'people-applications-empty-mobile')
    await context.close()
  })
})

describe('refusals', () => {
  const sessions: Record<string, HttpSession> = {}
  beforeAll(async () => {
    for (const [role, email] of Object.entries(demoEmails)) sessions[role] = await httpSession(server.url, email)
    // a user (not an admin) of Northwind, invited by its admin
    const invited = await inviteColleague(sessions.partnerA!, { role: 'partner_user' })
    sessions.partnerUser = await httpSession(server.url, invited.email, invited.password)
  })

  const actions: { name: string; path: string; fields: Record<string, string>; refused: string[] }[] = [
    { name: 'approve an application', path: '/vendor/applications', fields: { intent: 'approve', partnerId: 'contoso', tier: 'gold' }, refused: ['partnerA', 'partnerB', 'partnerUser', 'auditor'] },
    { name: 'reject an application', path: '/vendor/applications', fields: { intent: 'reject', partnerId: 'contoso', reason: 'no' }, refused: ['partnerA', 'partnerB', 'partnerUser', 'auditor'] },
    { name: 'assign a channel manager', path: '/vendor/partners/northwind/admin', fields: { intent: 'assign', managerId: 'u-sam' }, refused: ['partnerA', 'partnerB', 'partnerUser', 'auditor'] },
    { name: 'change a tier', path: '/vendor/partners/contoso/admin', fields: { intent: 'tier', tier: 'platinum', reason: 'because' }, refused: ['partnerA', 'partnerB', 'partnerUser', 'auditor'] },
    { name: 'invite a user', path: '/partner/team', fields: { intent: 'invite', commandId: '6f1f7f3e-3f0e-4b9a-9d55-0c7d3b1e2a11', name: 'Eve', email: 'eve@evil.example', role: 'partner_admin' }, refused: ['partnerUser', 'channelManager', 'vendorAdmin', 'auditor'] },
    { name: 'grant a role', path: '/partner/team', fields: { intent: 'role', userId: 'u-maria', role: 'partner_user' }, refused: ['partnerUser', 'channelManager', 'vendorAdmin', 'auditor'] },
    { name: 'set the profile', path: '/partner/team', fields: { intent: 'profile', displayName: 'X', contactName: 'X', contactEmail: 'x@x.example', primaryColor: '#000000', secondaryColor: '#ffffff' }, refused: ['partnerUser', 'channelManager', 'vendorAdmin', 'auditor'] },
    { name: 'change program settings', path: '/vendor/settings', fields: { effectiveFrom: '2099-02-01' }, refused: ['partnerA', 'partnerB', 'partnerUser', 'channelManager', 'auditor'] },
    { name: 'add a staff member', path: '/vendor/staff', fields: { intent: 'add', commandId: '0b7f6a8e-1c2d-4e5f-8a9b-0c1d2e3f4a5b', name: 'Eve', email: 'eve@vendor.example', role: 'vendor_admin' }, refused: ['partnerA', 'partnerB', 'partnerUser', 'channelManager', 'auditor'] },
    { name: 'change a staff role', path: '/vendor/staff', fields: { intent: 'role', userId: 'u-alex', role: 'vendor_admin' }, refused: ['partnerA', 'partnerB', 'partnerUser', 'channelManager', 'auditor'] },
  ]
  for (const action of actions) {
    test(`refused to ${action.name} for ${action.refused.join(', ')}`, async () => {
      for (const role of action.refused) {
        const response = await sessions[role]!.post(action.path, action.fields)
        expect(response.status, `${role} may not ${action.name}`).toBe(403)
      }
    })
  }

  test('pages answer 403 for roles without access and 404 for ids that are not theirs', async () => {
    const { partnerA, partnerB, partnerUser, channelManager, auditor } = sessions
    expect((await partnerA!.get('/vendor/applications')).status).toBe(403)
    expect((await auditor!.get('/vendor/applications')).status).toBe(403)
    expect((await partnerA!.get('/vendor/partners/contoso/admin')).status).toBe(403)
    expect((await partnerB!.get('/vendor/partners/northwind/admin')).status).toBe(403)
    expect((await partnerUser!.get('/vendor/settings')).status).toBe(403)
    expect((await auditor!.get('/vendor/settings')).status).toBe(403)
    expect((await channelManager!.get('/vendor/staff')).status).toBe(403)
    expect((await channelManager!.get('/partner/team')).status).toBe(403)
    expect((await channelManager!.get('/vendor/partners/no-such-partner/admin')).status).toBe(404)
    // the other partner's user ids typed into a form are not found in one's own organisation
    expect((await partnerB!.post('/partner/team', { intent: 'role', userId: 'u-maria', role: 'partner_user' })).status).toBe(404)
    // signed-in users are sent away from the public application form
    expect((await partnerA!.get('/apply')).status).toBe(302)
  })

  test('a form without the CSRF token is refused', async () => {
    const response = await sessions.vendorAdmin!.post('/vendor/settings', { effectiveFrom: '2099-02-01' }, { csrf: false })
    expect(response.status).toBe(403)
  })

  test('the application form is rate-limited per client', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 7; i++) {
      const page = await fetch(`${server.url}/apply`, { headers: { 'X-Forwarded-For': '203.0.113.9' } })
      const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
      const csrf = (await page.text()).match(/name="csrf" value="([^"]+)"/)![1]!
      const commandId = crypto.randomUUID()
      const body = new FormData()
      for (const [k, v] of Object.entries({
        csrf, commandId, company: `Spam ${i}`, websiteDomain: `spam${i}.example`, geographies: 'US', segments: 'smb', partnerType: 'referral',
        name: 'Spam Bot', email: `bot${i}@spam.example`, password: 'spam-password-123', confirmPassword: 'spam-password-123',
      })) body.set(k, v)
      const response = await fetch(`${server.url}/apply`, { method: 'POST', body, headers: { Cookie: cookie, 'X-Forwarded-For': '203.0.113.9' }, redirect: 'manual' })
      statuses.push(response.status)
    }
    expect(statuses.slice(0, 5)).toEqual([302, 302, 302, 302, 302])
    expect(statuses.slice(5)).toEqual([429, 429])
  })
})
