// Engagement through the real built server in Chromium: workshops from request to outcomes, a PSAT round answered once,
// a joint business plan created and reviewed, axe on every page, and every action refused to the roles that must not do it.
// Each test makes the workshops and rounds it starts from (the fixtures below), so any test runs alone or in any order.
import { randomUUID } from 'node:crypto'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { unique } from './fixtures.ts'
import { demoEmails, httpSession, type HttpSession } from './http.ts'
import { injectAxe, launchBrowser, screenshot, signIn, startServer, type RunningServer } from './support.ts'

let server: RunningServer
let browser: Browser
const contexts: BrowserContext[] = []

beforeAll(async () => {
  server = await startServer()
  browser = await launchBrowser()
})
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {})
  await browser?.close()
  await server?.stop()
})

async function as(email: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  contexts.push(context)
  const page = await context.newPage()
  await signIn(page, server.url, email)
  return page
}

/** axe-core in the page; the test fails with the rule ids and targets of any violation */
async function expectNoAxeViolations(page: Page) {
  await injectAxe(page)
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe.run()
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`)
  })
  expect(violations).toEqual([])
}

/** the error Conform shows for a field (or a group of radios): what its aria-describedby names, once it is invalid */
async function errorOf(page: Page, label: string, role?: 'group') {
  const field = role ? page.getByRole(role, { name: label, exact: true }) : page.getByLabel(label, { exact: true })
  if (!role) await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true')
  await expect.poll(() => field.getAttribute('aria-describedby')).toMatch(/-error\b/)
  return page.locator(`[id="${(await field.getAttribute('aria-describedby'))!.split(' ')[0]}"]`).textContent()
}

const today = () => new Date().toISOString().slice(0, 10)
const main = (page: Page) => page.textContent('main').then((t) => t ?? '')

/** A strategy workshop Northwind (Maria) requests over HTTP: it waits to be scheduled. */
async function requestedWorkshop(goal = unique('Workshop goal')) {
  const maria = await httpSession(server.url, demoEmails.partnerA)
  const workshopId = randomUUID()
  const response = await maria.post('/partner/collaborate/workshops/new', { commandId: workshopId, kind: 'strategy', goal, attendees: 'Maria Jensen\nJonas Weber' })
  expect(response.status, `Northwind requests a workshop to ${goal}`).toBe(302)
  return { workshopId, goal }
}

/** A workshop of Northwind's the channel manager scheduled for today and recorded as held, with its outcomes. */
async function heldWorkshop(goal: string) {
  const workshop = await requestedWorkshop(goal)
  const sam = await httpSession(server.url, demoEmails.channelManager)
  const scheduled = await sam.post('/vendor/engagement', { intent: 'schedule', workshopId: workshop.workshopId, date: today() })
  expect(scheduled.status, `scheduling ${goal}`).toBe(302)
  const held = await sam.post(`/vendor/engagement/workshops/${workshop.workshopId}`, {
    intent: 'hold', alignedObjectives: 'Target 20 regional hospitals together\nJoint reference architecture for patient data backup',
    successMeasures: '5 qualified opportunities by Q2\nOne signed reference customer',
  })
  expect(held.status, `recording ${goal} as held`).toBe(302)
  return workshop
}

/** A satisfaction round the channel manager opens over HTTP, asking about two topics; returns its id. */
async function openRound() {
  const sam = await httpSession(server.url, demoEmails.channelManager)
  const surveyId = randomUUID()
  const response = await sam.post('/vendor/engagement', { intent: 'open-round', commandId: surveyId, topics: 'Ease of doing business\nMarketing support' })
  expect(response.status, 'opening a survey round').toBe(302)
  return surveyId
}

/** Northwind's answer to a round: 8 and 6, with a comment. */
async function northwindAnswers(surveyId: string) {
  const maria = await httpSession(server.url, demoEmails.partnerA)
  const response = await maria.post(`/partner/collaborate/surveys/${surveyId}`, { commandId: randomUUID(), score0: '8', score1: '6', comment: 'More co-branded healthcare material, please.' })
  expect(response.status, 'Northwind answers the round').toBe(302)
}

describe('workshops: request, schedule, hold, outcomes', () => {
  test('a partner requests a workshop, after fixing the fields the form flags', async () => {
    const goal = unique('Agree a joint healthcare go-to-market for 2027')
    const page = await as(demoEmails.partnerA)
    await page.goto(`${server.url}/partner/collaborate`)
    await page.getByRole('link', { name: 'New workshop' }).click()
    await page.waitForURL(/\/partner\/collaborate\/workshops\/new$/)
    await page.getByRole('button', { name: 'Request workshop' }).click()
    // checked in the browser by the form's schema (Conform) before anything is sent
    expect(await errorOf(page, 'Goal')).toContain('what the workshop should achieve')
    expect(await errorOf(page, 'Attendees')).toContain('who attends')
    // an attendee's line too long for the command: which line, under the field
    await page.getByLabel('Attendees').fill(`Maria Jensen\n${'J'.repeat(121)}`)
    expect(await errorOf(page, 'Attendees')).toBe('Entry 2: At most 120 characters.')
    await expectNoAxeViolations(page)
    await page.getByLabel('Goal').fill(goal)
    await page.getByLabel('Attendees').fill('Maria Jensen\nJonas Weber')
    await screenshot(page, 'engagement-partner-workshop-new')
    await page.getByRole('button', { name: 'Request workshop' }).click()
    await page.waitForURL(/\/partner\/collaborate$/)
    await page.waitForSelector('text=Strategy workshop requested')
    const row = page.locator('tr', { hasText: goal })
    expect(await row.textContent()).toContain('Waiting to be scheduled')
    const href = await row.getByRole('link').first().getAttribute('href')
    const workshopId = href!.split('/').pop()!
    expect(workshopId).toMatch(/^[0-9a-f-]{36}$/)
  })

  test('the other partner requests one too (over HTTP)', async () => {
    const li = await httpSession(server.url, demoEmails.partnerB)
    const response = await li.post('/partner/collaborate/workshops/new', { commandId: randomUUID(), kind: 'value_proposition', goal: 'Package managed backup for SMB customers', attendees: 'Li Wei\nTom Baker' })
    expect(response.status).toBe(302)
  })

  test('the channel manager schedules it for today, then records it as held with outcomes', async () => {
    const { workshopId, goal } = await requestedWorkshop(unique('Agree a joint healthcare go-to-market for 2027'))
    const page = await as(demoEmails.channelManager)
    await page.goto(`${server.url}/vendor/engagement`)
    const form = page.locator(`form:has(input[name="workshopId"][value="${workshopId}"])`)
    await form.getByRole('button', { name: /Schedule/ }).click()
    await page.waitForSelector(`#schedule-${workshopId}-date-error`)
    expect(await page.locator(`#schedule-${workshopId}-date-error`).textContent()).toContain('Choose a date')
    await page.locator(`#schedule-${workshopId}-date`).fill(today())
    await page.locator(`form:has(input[name="workshopId"][value="${workshopId}"])`).getByRole('button', { name: /Schedule/ }).click()
    await page.waitForSelector('text=Strategy workshop with Northwind IT scheduled for')
    expect(await page.locator('tr', { hasText: goal }).textContent()).toContain('Scheduled')
    await expectNoAxeViolations(page)

    await screenshot(page, 'engagement-vendor-engagement')

    await page.goto(`${server.url}/vendor/engagement/workshops/${workshopId}`)
    await page.getByRole('button', { name: 'Record as held' }).click()
    expect(await errorOf(page, 'Aligned objectives')).toContain('the objectives both sides agreed on')
    await page.goto(`${server.url}/vendor/engagement/workshops/${workshopId}`)
    await page.getByLabel('Aligned objectives').fill('Target 20 regional hospitals together\nJoint reference architecture for patient data backup')
    await page.getByLabel('Success measures').fill('5 qualified opportunities by Q2\nOne signed reference customer')
    await screenshot(page, 'engagement-vendor-workshop')
    await expectNoAxeViolations(page)
    await page.getByRole('button', { name: 'Record as held' }).click()
    await page.waitForSelector('text=recorded as held; Northwind IT now sees the outcomes')
    expect(await main(page)).toContain('Joint reference architecture for patient data backup')
    expect(await main(page)).toContain('This workshop is closed')
  })

  test('the partner sees the outcomes of the held workshop', async () => {
    const { workshopId, goal } = await heldWorkshop(unique('Agree a joint healthcare go-to-market for 2027'))
    const page = await as(demoEmails.partnerA)
    await page.goto(`${server.url}/partner/collaborate`)
    expect(await page.locator('tr', { hasText: goal }).textContent()).toContain('Held')
    await page.goto(`${server.url}/partner/collaborate/workshops/${workshopId}`)
    const text = await main(page)
    expect(text).toContain('Agreed outcomes')
    expect(text).toContain('Target 20 regional hospitals together')
    expect(text).toContain('One signed reference customer')
    await screenshot(page, 'engagement-partner-workshop')
    await expectNoAxeViolations(page)
  })
})

describe('partner satisfaction: a round answered once per partner', () => {
  test('the channel manager opens a round with topics', async () => {
    const page = await as(demoEmails.channelManager)
    await page.goto(`${server.url}/vendor/engagement`)
    // the form's command id becomes the round's id
    const surveyId = await page.locator('form:has(input[name="intent"][value="open-round"]) input[name="commandId"]').inputValue()
    expect(surveyId).toMatch(/^[0-9a-f-]{36}$/)
    // the topics field holds default topics: typed before the page is hydrated, the text came out mixed with them
    await page.waitForLoadState('networkidle')
    await page.getByLabel('Topics').fill('Ease of doing business\nMarketing support')
    expect(await page.getByLabel('Topics').inputValue()).toBe('Ease of doing business\nMarketing support')
    await page.getByRole('button', { name: 'Open round' }).click()
    await page.waitForSelector('text=Survey round opened with 2 topics')
    expect(await page.locator(`a[href="/vendor/engagement/surveys/${surveyId}"]`).count()).toBe(1)
  })

  test('a partner answers once; a second answer is refused with a clear message', async () => {
    const surveyId = await openRound()
    const page = await as(demoEmails.partnerA)
    await page.goto(`${server.url}/partner/collaborate`)
    expect(await main(page)).toContain('A satisfaction survey is waiting for your answer')
    await page.goto(`${server.url}/partner/collaborate/surveys/${surveyId}`)
    await page.getByRole('button', { name: 'Send answer' }).click()
    expect(await errorOf(page, 'Ease of doing business', 'group')).toContain('Give "Ease of doing business" a score from 0 to 10')
    await page.goto(`${server.url}/partner/collaborate/surveys/${surveyId}`)
    await page.getByRole('group', { name: 'Ease of doing business' }).getByText('8', { exact: true }).click()
    await page.getByRole('group', { name: 'Marketing support' }).getByText('6', { exact: true }).click()
    await page.getByLabel('Anything we should do better?').fill('More co-branded healthcare material, please.')
    await screenshot(page, 'engagement-partner-survey')
    await expectNoAxeViolations(page)
    await page.getByRole('button', { name: 'Send answer' }).click()
    await page.waitForURL(/\/partner\/collaborate$/)
    await page.waitForSelector('text=your survey answer was recorded')
    await page.goto(`${server.url}/partner/collaborate/surveys/${surveyId}`)
    expect(await main(page)).toContain('Your answer for Northwind IT')
    expect(await page.getByRole('button', { name: 'Send answer' }).count()).toBe(0)

    // the same form posted again (another tab, a back button) is refused
    const maria = await httpSession(server.url, demoEmails.partnerA)
    const again = await maria.post(`/partner/collaborate/surveys/${surveyId}`, { commandId: randomUUID(), score0: '2', score1: '2' })
    expect(again.status).toBe(409)
    expect(await again.text()).toContain('Northwind IT already answered this survey on')
  })

  test('the other partner answers too, and the vendor sees response rate and averages', async () => {
    const surveyId = await openRound()
    await northwindAnswers(surveyId)
    const li = await httpSession(server.url, demoEmails.partnerB)
    const answered = await li.post(`/partner/collaborate/surveys/${surveyId}`, { commandId: randomUUID(), score0: '6', score1: '9', comment: '' })
    expect(answered.status).toBe(302)
    const page = await as(demoEmails.channelManager)
    await page.goto(`${server.url}/vendor/engagement/surveys/${surveyId}`)
    const text = await main(page)
    expect(text).toContain('2 of 2 partners (100%)')
    expect(await page.getByRole('img', { name: 'Average for Ease of doing business: 7 out of 10' }).count()).toBe(1)
    expect(await page.getByRole('img', { name: 'Average for Marketing support: 7.5 out of 10' }).count()).toBe(1)
    expect(text).toContain('More co-branded healthcare material, please.')
    await screenshot(page, 'engagement-vendor-survey')
    await expectNoAxeViolations(page)
  })
})

describe('joint business plan: created, reviewed, seen by the partner', () => {
  test('without JavaScript the server adds and removes goal rows, keeping what was typed', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, javaScriptEnabled: false })
    contexts.push(context)
    const page = await context.newPage()
    await signIn(page, server.url, demoEmails.channelManager)
    await page.goto(`${server.url}/vendor/engagement/plans/northwind`)
    await page.getByLabel('Goal 1', { exact: true }).fill('Typed before adding a row')
    await page.getByRole('button', { name: 'Add goal' }).click()
    await page.getByLabel('Goal 2', { exact: true }).waitFor()
    expect(await page.getByLabel('Goal 1', { exact: true }).inputValue()).toBe('Typed before adding a row')
    await page.getByLabel('Goal 2', { exact: true }).fill('The second row')
    await page.getByRole('button', { name: 'Remove goal 1' }).click()
    await page.getByLabel('Goal 2', { exact: true }).waitFor({ state: 'detached' })
    expect(await page.getByLabel('Goal 1', { exact: true }).inputValue()).toBe('The second row')
  })

  // one test: a partner has one plan, made once, and a second partner without one would count in the survey's response rate
  test('the channel manager creates a plan for Contoso and reviews it; Contoso sees it with goals, commitments and review; Northwind never sees it', async () => {
    const { goal: northwindGoal } = await requestedWorkshop(unique('Agree a joint healthcare go-to-market for 2027'))
    const page = await as(demoEmails.channelManager)
    await page.goto(`${server.url}/vendor/engagement`)
    await page.getByRole('link', { name: 'Create plan for Contoso MSP' }).click()
    await page.waitForURL(/\/vendor\/engagement\/plans\/contoso$/)
    await page.getByRole('button', { name: 'Create plan' }).click()
    expect(await errorOf(page, 'Goal 1')).toBe('Describe the goal')
    expect(await errorOf(page, 'Vendor commitment 1')).toContain('what the vendor commits to')
    await page.getByLabel('Goal 1', { exact: true }).fill('Launch managed backup for SMB customers')
    await page.getByLabel('Goal 1 target').fill('120 managed seats')
    await page.getByLabel('Goal 1 due date').fill('2027-06-30')
    // goals are a list of rows: added and removed in the browser, the rows after a removed one move up
    await page.getByRole('button', { name: 'Add goal' }).click()
    await page.getByRole('button', { name: 'Add goal' }).click()
    await page.getByLabel('Goal 3', { exact: true }).fill('A goal added by mistake')
    await page.getByRole('button', { name: 'Remove goal 3' }).click()
    await page.getByLabel('Goal 3', { exact: true }).waitFor({ state: 'detached' })
    await page.getByLabel('Goal 2', { exact: true }).fill('Grow recurring revenue with Acme Cloud')
    await page.getByLabel('Goal 2 target').fill('GBP 150k ARR')
    await page.getByLabel('Goal 2 due date').fill('2027-12-31')
    expect(await page.getByLabel('Goal 1', { exact: true }).inputValue()).toBe('Launch managed backup for SMB customers')
    await page.getByLabel('Vendor commitment 1').fill('Not-for-resale lab licences for the Contoso NOC')
    await page.getByRole('button', { name: 'Add vendor commitment' }).click()
    await page.getByLabel('Vendor commitment 2').fill('Quarterly pipeline review with the channel manager')
    await page.getByLabel('Partner commitment 1').fill('Two engineers certified by March')
    await page.getByRole('button', { name: 'Add partner commitment' }).click()
    await page.getByLabel('Partner commitment 2').fill('Monthly SMB webinar')
    await expectNoAxeViolations(page)
    await page.getByRole('button', { name: 'Create plan' }).click()
    await page.waitForSelector('text=Joint business plan with Contoso MSP created')

    await page.getByLabel('At risk').check()
    await page.getByRole('button', { name: 'Record review' }).click()
    expect(await errorOf(page, 'Notes')).toContain('at risk or off track')
    await page.getByLabel('At risk').check()
    await page.getByLabel('Notes').fill('Certification slipped by a month; lab licences arrive late.')
    await page.getByRole('button', { name: 'Record review' }).click()
    await page.waitForSelector('text=review of the plan with Contoso MSP recorded: at risk')
    expect(await main(page)).toContain('Certification slipped by a month')
    await screenshot(page, 'engagement-vendor-plan')
    await expectNoAxeViolations(page)

    const li = await as(demoEmails.partnerB)
    await li.goto(`${server.url}/partner/collaborate`)
    const text = await main(li)
    for (const s of ['Launch managed backup for SMB customers', '120 managed seats', 'Not-for-resale lab licences', 'Two engineers certified by March', 'Certification slipped by a month', 'At risk']) expect(text).toContain(s)
    await expectNoAxeViolations(li)
    await screenshot(li, 'engagement-partner-plan')

    const maria = await as(demoEmails.partnerA)
    await maria.goto(`${server.url}/partner/collaborate`)
    const hers = await main(maria)
    expect(hers).not.toContain('Launch managed backup for SMB customers')
    expect(hers).toContain(northwindGoal)
    await screenshot(maria, 'engagement-partner-collaborate')
    await expectNoAxeViolations(maria)
  })
})

describe('who may do what', () => {
  let sessions: Record<keyof typeof demoEmails, HttpSession>
  beforeAll(async () => {
    const entries = await Promise.all(Object.entries(demoEmails).map(async ([k, email]) => [k, await httpSession(server.url, email)] as const))
    sessions = Object.fromEntries(entries) as Record<keyof typeof demoEmails, HttpSession>
  })

  /** a workshop of Northwind's held with outcomes, and a round both partners answered (Northwind with a comment) */
  async function heldWorkshopAndAnsweredRound() {
    const { workshopId } = await heldWorkshop(unique('Agree a joint healthcare go-to-market for 2027'))
    const surveyId = await openRound()
    await northwindAnswers(surveyId)
    const answered = await sessions.partnerB.post(`/partner/collaborate/surveys/${surveyId}`, { commandId: randomUUID(), score0: '6', score1: '9', comment: '' })
    expect(answered.status, 'Contoso answers the round').toBe(302)
    return { workshopId, surveyId }
  }

  const vendorActions = (workshopId: string, surveyId: string): { path: string; fields: Record<string, string> }[] => [
    { path: '/vendor/engagement', fields: { intent: 'schedule', workshopId, date: today() } },
    { path: '/vendor/engagement', fields: { intent: 'open-round', commandId: randomUUID(), topics: 'Anything' } },
    { path: '/vendor/engagement', fields: { intent: 'close-round', surveyId } },
    { path: `/vendor/engagement/workshops/${workshopId}`, fields: { intent: 'cancel', reason: 'Because' } },
    { path: `/vendor/engagement/workshops/${workshopId}`, fields: { intent: 'hold', alignedObjectives: 'x', successMeasures: 'y' } },
    { path: `/vendor/engagement/surveys/${surveyId}`, fields: { intent: 'close' } },
    { path: '/vendor/engagement/plans/northwind', fields: { intent: 'create', commandId: randomUUID(), 'goals[0].description': 'x', 'goals[0].target': 'y', 'goals[0].dueDate': '2027-01-01', 'vendorCommitments[0]': 'a', 'partnerCommitments[0]': 'b' } },
    { path: '/vendor/engagement/plans/contoso', fields: { intent: 'review', quarter: '2020-Q1', status: 'on_track' } },
  ]
  const partnerActions = (workshopId: string, surveyId: string): { path: string; fields: Record<string, string> }[] => [
    { path: '/partner/collaborate/workshops/new', fields: { commandId: randomUUID(), kind: 'strategy', goal: 'Sneaky', attendees: 'Someone' } },
    { path: `/partner/collaborate/surveys/${surveyId}`, fields: { commandId: randomUUID(), score0: '1', score1: '1' } },
    { path: `/partner/collaborate/workshops/${workshopId}`, fields: { reason: 'Sneaky' } },
  ]

  test('partners and the auditor are refused every vendor action (403)', async () => {
    const { workshopId, surveyId } = await heldWorkshopAndAnsweredRound()
    for (const who of ['partnerA', 'partnerB', 'auditor'] as const) {
      for (const action of vendorActions(workshopId, surveyId)) {
        const response = await sessions[who].post(action.path, action.fields)
        expect(`${who} ${action.path} ${action.fields.intent} ${response.status}`).toBe(`${who} ${action.path} ${action.fields.intent} 403`)
      }
    }
  })

  test('vendor staff and the auditor are refused every partner action (403)', async () => {
    const { workshopId, surveyId } = await heldWorkshopAndAnsweredRound()
    for (const who of ['channelManager', 'vendorAdmin', 'auditor'] as const) {
      for (const action of partnerActions(workshopId, surveyId)) {
        const response = await sessions[who].post(action.path, action.fields)
        expect(`${who} ${action.path} ${response.status}`).toBe(`${who} ${action.path} 403`)
      }
    }
  })

  test('partners cannot see vendor pages; the auditor reads them without any form', async () => {
    const { workshopId, surveyId } = await heldWorkshopAndAnsweredRound()
    for (const path of ['/vendor/engagement', `/vendor/engagement/workshops/${workshopId}`, `/vendor/engagement/surveys/${surveyId}`, '/vendor/engagement/plans/contoso']) {
      expect((await sessions.partnerA.get(path)).status).toBe(403)
      const auditor = await sessions.auditor.get(path)
      expect(auditor.status).toBe(200)
      const html = (await auditor.text()).replaceAll('<!-- -->', '')
      expect(html).toContain('Read-only')
      expect(html).not.toMatch(/<form method="post"(?! action="\/logout")/)
    }
    for (const path of ['/partner/collaborate', '/partner/collaborate/workshops/new', `/partner/collaborate/surveys/${surveyId}`]) {
      expect((await sessions.auditor.get(path)).status).toBe(403)
      expect((await sessions.channelManager.get(path)).status).toBe(403)
    }
  })

  test('another partner’s workshop answers 404, by URL and by form', async () => {
    const { workshopId, surveyId } = await heldWorkshopAndAnsweredRound()
    expect((await sessions.partnerB.get(`/partner/collaborate/workshops/${workshopId}`)).status).toBe(404)
    expect((await sessions.partnerB.post(`/partner/collaborate/workshops/${workshopId}`, { reason: 'Not mine' })).status).toBe(404)
    expect((await sessions.partnerB.get('/partner/collaborate/surveys/no-such-round')).status).toBe(404)
    // Contoso's own view of the round shows its own answer, never Northwind's comment
    const round = (await (await sessions.partnerB.get(`/partner/collaborate/surveys/${surveyId}`)).text()).replaceAll('<!-- -->', '')
    expect(round).toContain('Your answer for Contoso MSP')
    expect(round).not.toContain('co-branded healthcare')
  })

  test('a list entry past the 500th (goals[100000]) is refused with 400 before the form is parsed', async () => {
    const response = await sessions.channelManager.post('/vendor/engagement/plans/northwind', { intent: 'create', commandId: randomUUID(), 'goals[100000].description': 'x' })
    expect(response.status).toBe(400)
    expect(await response.text()).toContain('The form names a list entry past the 500th: goals[100000].description')
  })

  test('a form without the CSRF token is refused', async () => {
    const response = await sessions.channelManager.post('/vendor/engagement', { intent: 'open-round', commandId: randomUUID(), topics: 'X' }, { csrf: false })
    expect(response.status).toBe(403)
  })
})
