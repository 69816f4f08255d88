// Course assessments through the real built server: the vendor authors a course's questions (with and without
// JavaScript), a partner takes it, fails with wrong answers, sees which questions to revisit (never the answers),
// passes on a retake and is certified with the score the server computed. The answer key never reaches a learner's
// page; a score a learner posts is not read. A course stored before assessments existed says so, and the vendor adds one.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { parseEnv } from '../../app/env.server.ts'
import { seedDemo } from '../../app/seed.server.ts'
import { openServices } from '../../app/services.server.ts'
import { approvedPartner, unique } from './fixtures.ts'
import { demoEmails, httpSession, type HttpSession } from './http.ts'
import { injectAxe, launchBrowser, screenshot, signIn, startServer, type RunningServer } from './support.ts'

let server: RunningServer
let browser: Browser
let vendor: HttpSession
let dataDir: string
const LEGACY = 'legacy-firewall-basics'
const shots = path.join(os.tmpdir(), 'training')

/** a question as the course form posts it: choices' texts, the right ones' indexes */
type Q = { text: string; kind: 'single' | 'multiple'; choices: string[]; right: number[] }
const questions: Q[] = [
  { text: 'A customer asks how much data they can afford to lose. Which figure answers that?', kind: 'single', choices: ['Recovery time objective', 'Recovery point objective', 'Mean time between failures'], right: [1] },
  { text: 'Which measures keep backups safe from ransomware with stolen admin passwords?', kind: 'multiple', choices: ['Immutable object-lock storage', 'A NAS share mapped on the file server', 'Multi-factor sign-in on the backup console', 'Nightly full backups'], right: [0, 2] },
  { text: 'When should the first restore test run after a deployment?', kind: 'single', choices: ['In the first week, then on a schedule', 'Only when a restore is needed', 'At the first renewal'], right: [0] },
]

/** the course form's fields for `qs`, as Conform names them */
function questionFields(qs: Q[]) {
  const fields: Record<string, string> = {}
  qs.forEach((q, i) => {
    fields[`questions[${i}].text`] = q.text
    fields[`questions[${i}].kind`] = q.kind
    q.choices.forEach((c, j) => {
      fields[`questions[${i}].choices[${j}].text`] = c
      if (q.right.includes(j)) fields[`questions[${i}].choices[${j}].correct`] = 'on'
    })
  })
  return fields
}

/** publishes a certifying course with `qs` over HTTP; returns its id */
async function publishCourse(title: string, qs: Q[] = questions, passMark = 70) {
  const page = await (await vendor.get('/vendor/enablement/courses/new')).text()
  const commandId = page.match(/name="commandId" value="([^"]+)"/)![1]!
  const response = await vendor.post('/vendor/enablement/courses/new', {
    commandId, title, description: 'Sell and deploy Cloud Backup.', certification: title, validityMonths: '12', passMark: String(passMark), ...questionFields(qs),
  })
  expect(response.status).toBe(302)
  return response.headers.get('location')!.split('/').pop()!
}

/** a learner's choice ids: q1c2 is question 1's second choice */
const choiceIds = (i: number, indexes: number[]) => indexes.map((j) => `q${i + 1}c${j + 1}`)
const rightAnswers = () => Object.fromEntries(questions.map((q, i) => [`answers.q${i + 1}`, choiceIds(i, q.right)]))

async function enrol(partner: HttpSession, courseId: string) {
  expect((await partner.post(`/partner/training/${courseId}`, { intent: 'enrol' })).status).toBe(302)
  const html = await (await partner.get(`/partner/training/${courseId}`)).text()
  return { html, commandId: html.match(/name="commandId" value="([^"]+)"/)![1]!, version: html.match(/name="assessmentVersion" value="(\d+)"/)![1]! }
}

async function axe(page: Page) {
  await injectAxe(page)
  const result = await page.evaluate(async () => (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe.run())
  expect(result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`).join('\n')).toBe('')
}

/** the page fits a 390 px phone: nothing scrolls sideways */
async function fits(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
}

async function shoot(page: Page, name: string) {
  fs.mkdirSync(shots, { recursive: true })
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true })
}

beforeAll(async () => {
  // a store from before assessments: the minimal seed, and a course published without questions (the old shape)
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerlog-e2e-training-'))
  const services = await openServices({ env: parseEnv({ DATA_DIR: dataDir, SEED: 'none' }), log: () => {} })
  await seedDemo(services, 'minimal')
  await services.commands.enablement.publishCourse({ actor: { userId: 'u-sam', organisationId: 'vendor', role: 'channel_manager' } }, {
    courseId: LEGACY, title: 'Legacy Firewall Basics', description: 'Published before courses had assessments.', certification: { name: 'Firewall Basics', validityMonths: 12 },
  })
  await services.close()
  server = await startServer({ DATA_DIR: dataDir })
  browser = await launchBrowser()
  vendor = await httpSession(server.url, demoEmails.channelManager)
})
afterAll(async () => {
  await browser?.close()
  await server?.stop()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('course assessments', () => {
  test('the vendor authors a course with questions; a partner fails with wrong answers, passes a retake with right ones and is certified', async () => {
    const title = unique('Cloud Backup Associate')
    const cm = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const vendorPage = await cm.newPage()
    await signIn(vendorPage, server.url, demoEmails.channelManager)
    await vendorPage.goto(`${server.url}/vendor/enablement/courses/new`)
    await vendorPage.getByLabel('Title').fill(title)
    await vendorPage.getByLabel('Description').fill('Sell and deploy Cloud Backup for mid-market customers.')
    await vendorPage.getByLabel('Certification it grants (optional)').fill(title)
    await vendorPage.getByLabel('Valid for (months)').fill('12')
    await vendorPage.getByLabel('Pass mark (%)').fill('70')
    for (const [i, q] of questions.entries()) {
      const n = i + 1
      if (i > 0) await vendorPage.getByRole('button', { name: 'Add question', exact: true }).click()
      await vendorPage.getByLabel(`Question ${n}`, { exact: true }).fill(q.text)
      await vendorPage.getByLabel(`Question ${n}: right choices`).selectOption(q.kind)
      while (await vendorPage.getByLabel(new RegExp(`^Question ${n}, choice \\d+$`)).count() < q.choices.length) {
        await vendorPage.getByRole('button', { name: `Add choice to question ${n}` }).click()
      }
      for (const [j, c] of q.choices.entries()) await vendorPage.getByLabel(`Question ${n}, choice ${j + 1}`, { exact: true }).fill(c)
      // the last question's right choice is ticked only after the form refused it without one
      if (i < questions.length - 1) for (const j of q.right) await vendorPage.getByLabel(`Question ${n}, choice ${j + 1} is right`).check()
    }
    await vendorPage.getByRole('button', { name: 'Publish course' }).click()
    await vendorPage.getByText('Mark the right choice').waitFor()
    await vendorPage.getByLabel('Question 3, choice 1 is right').check()
    // the error goes as the choice is ticked (the button moves up with it)
    await vendorPage.getByText('Mark the right choice').waitFor({ state: 'hidden' })
    await axe(vendorPage)
    await shoot(vendorPage, 'vendor-course-new-1280')
    await vendorPage.getByRole('button', { name: 'Publish course' }).click()
    await vendorPage.waitForURL(/\/vendor\/enablement\/courses\/(?!new$)[^/]+$/)
    await vendorPage.getByText(`Course ${title} published with 3 questions`).waitFor()
    const courseId = new URL(vendorPage.url()).pathname.split('/').pop()!
    expect(await vendorPage.textContent('main')).toContain('Assessment v1')
    await axe(vendorPage)
    await cm.close()

    const partner = await approvedPartner(server.url, unique('Tailwind Systems'))
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await signIn(page, server.url, partner.email, partner.password)
    await page.goto(`${server.url}/partner/training/${courseId}`)
    await page.getByText(/3 questions · pass mark 70\s%/).waitFor()
    await page.getByRole('button', { name: 'Enrol' }).click()
    await page.getByText(`Enrolled in ${title}`).waitFor()
    // wrong answers to questions 1 and 3, question 2 right: 1 of 3
    const group = (i: number) => page.getByRole('group', { name: new RegExp(`^${i + 1}\\.`) })
    await group(0).getByLabel(questions[0]!.choices[0]!).check()
    for (const j of questions[1]!.right) await group(1).getByLabel(questions[1]!.choices[j]!).check()
    await group(2).getByLabel(questions[2]!.choices[2]!).check()
    await axe(page)
    await shoot(page, 'partner-course-take-1280')
    await page.getByRole('button', { name: 'Submit answers' }).click()
    await page.getByText(/33\s% is below the pass mark/).waitFor()
    const result = page.locator('#result')
    expect(await result.textContent()).toMatch(/33\s%/)
    expect(await result.textContent()).toContain('Not passed')
    expect(await result.textContent()).toContain('1 of 3 questions right')
    const revisit = await result.locator('ol').textContent()
    expect(revisit).toContain(questions[0]!.text)
    expect(revisit).toContain(questions[2]!.text)
    expect(revisit).not.toContain(questions[1]!.text)
    // the right answers are not given away
    expect(await page.textContent('main')).not.toContain(questions[0]!.choices[1])
    await axe(page)
    await shoot(page, 'partner-course-failed-1280')

    // the retake: an unanswered question is refused at the question, then all right
    await page.getByRole('button', { name: 'Retake the assessment' }).click()
    await page.getByRole('button', { name: 'Submit answers' }).waitFor()
    await group(0).getByLabel(questions[0]!.choices[1]!).check()
    await group(2).getByLabel(questions[2]!.choices[0]!).check()
    await page.getByRole('button', { name: 'Submit answers' }).click()
    await page.getByText('Answer question 2').waitFor()
    for (const j of questions[1]!.right) await group(1).getByLabel(questions[1]!.choices[j]!).check()
    await page.getByRole('button', { name: 'Submit answers' }).click()
    await page.getByText(new RegExp(`Passed with 100\\s%: you are certified ${title} until`)).waitFor()
    expect(await result.textContent()).toMatch(/100\s%/)
    expect(await result.textContent()).toContain('Passed')
    expect(await page.textContent('[aria-label="Certificate"]')).toContain(title)
    await axe(page)
    await shoot(page, 'partner-course-passed-1280')
    await page.goto(`${server.url}/partner/training`)
    expect(await page.textContent('main')).toContain(title)
    expect(await page.textContent('#certs ~ div')).toContain('Valid')
    await screenshot(page, 'enablement-training')
    await context.close()

    // the auditor sees the attempts the server scored
    const auditor = await httpSession(server.url, demoEmails.auditor)
    const timeline = await (await auditor.get('/audit')).text()
    for (const type of ['AssessmentTaken', 'CourseCompleted', 'CertificationEarned']) expect(timeline).toContain(type)
  })

  test("a learner's page never holds the answer key, and a score the learner posts is not read", async () => {
    const courseId = await publishCourse(unique('Endpoint Protection Specialist'))
    const { session: partner } = await approvedPartner(server.url, unique('Litware Systems'))
    const { html, commandId, version } = await enrol(partner, courseId)
    for (const q of questions) expect(html).toContain(q.text)
    expect(html).not.toMatch(/correct/i)

    // the old completion form (a typed score) is gone: refused, nothing recorded
    expect((await partner.post(`/partner/training/${courseId}`, { intent: 'complete', score: '100' })).status).toBe(400)
    // answers all wrong, with a score of 100 alongside: the score is not read
    const wrong = Object.fromEntries(questions.map((q, i) => [`answers.q${i + 1}`, choiceIds(i, [q.right.includes(2) ? 1 : 2])]))
    const posted = await partner.post(`/partner/training/${courseId}`, { intent: 'submit', commandId, assessmentVersion: version, ...wrong, score: '100', passed: 'true' })
    expect(posted.status).toBe(302)
    const after = await (await partner.get(`/partner/training/${courseId}`)).text()
    expect(after).toContain('0 of 3 questions right')
    expect(after).not.toContain('aria-label="Certificate"')
    // the same command id again is the same attempt
    const again = await partner.post(`/partner/training/${courseId}`, { intent: 'submit', commandId, assessmentVersion: version, ...rightAnswers() })
    expect(again.status).toBe(302)
    expect(await (await partner.get(`/partner/training/${courseId}`)).text()).toContain('0 of 3 questions right')
    // the vendor's course page (with the answer key) is the vendor's only
    expect((await partner.get(`/vendor/enablement/courses/${courseId}`)).status).toBe(403)
    expect((await partner.post(`/vendor/enablement/courses/${courseId}`, { passMark: '0', ...questionFields(questions) })).status).toBe(403)
    const auditor = await httpSession(server.url, demoEmails.auditor)
    expect((await auditor.get(`/vendor/enablement/courses/${courseId}`)).status).toBe(403)
    // only partners take assessments
    expect((await vendor.post(`/partner/training/${courseId}`, { intent: 'submit', commandId, assessmentVersion: version, ...rightAnswers() })).status).toBe(403)
  })

  test('a revised assessment is a new version; an attempt on the version shown before is scored against it', async () => {
    const courseId = await publishCourse(unique('Network Security Sales'))
    const { session: partner } = await approvedPartner(server.url, unique('Proseware Networks'))
    const { commandId, version } = await enrol(partner, courseId)
    // the vendor revises while the partner's page is open: one question, another right answer
    const edit = await (await vendor.get(`/vendor/enablement/courses/${courseId}`)).text()
    const revised = await vendor.post(`/vendor/enablement/courses/${courseId}`, {
      commandId: edit.match(/name="commandId" value="([^"]+)"/)![1]!, passMark: '100',
      ...questionFields([{ ...questions[0]!, right: [2] }]),
    })
    expect(revised.status).toBe(302)
    expect(await (await vendor.get(`/vendor/enablement/courses/${courseId}`)).text()).toContain('Assessment v2')
    const posted = await partner.post(`/partner/training/${courseId}`, { intent: 'submit', commandId, assessmentVersion: version, ...rightAnswers() })
    expect(posted.status).toBe(302)
    const after = await (await partner.get(`/partner/training/${courseId}`)).text()
    expect(after).toMatch(/3 of 3 questions right · pass mark 70\s%/)
  })

  test('a course stored before assessments says so to partners; the vendor adds one without JavaScript, and partners can take it', async () => {
    const maria = await httpSession(server.url, demoEmails.partnerA)
    expect(await (await maria.get(`/partner/training/${LEGACY}`)).text()).toContain('Assessment not yet available')
    const catalogue = await (await maria.get('/partner/training')).text()
    expect(catalogue.match(/Assessment not yet available/g)).toHaveLength(1)

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, javaScriptEnabled: false })
    const page = await context.newPage()
    await signIn(page, server.url, demoEmails.channelManager)
    await page.goto(`${server.url}/vendor/enablement/courses/${LEGACY}`)
    await page.getByText('Partners cannot take this course yet').waitFor()
    // Add and Remove post the form and come back with one row more or less
    await page.getByRole('button', { name: 'Add question', exact: true }).click()
    await page.getByLabel('Question 2', { exact: true }).waitFor()
    await page.getByRole('button', { name: 'Add choice to question 1' }).click()
    await page.getByLabel('Question 1, choice 4', { exact: true }).waitFor()
    await page.getByRole('button', { name: 'Remove question 2' }).click()
    await page.getByLabel('Question 1', { exact: true }).waitFor()
    expect(await page.getByLabel('Question 2', { exact: true }).count()).toBe(0)
    await page.getByLabel('Question 1', { exact: true }).fill('Which zone should guest Wi-Fi sit in?')
    for (const [j, c] of ['Its own segment, internet only', 'The staff network', 'The server VLAN', 'The payment terminals\' segment'].entries()) await page.getByLabel(`Question 1, choice ${j + 1}`, { exact: true }).fill(c)
    await page.getByLabel('Question 1, choice 1 is right').check()
    await fits(page)
    await shoot(page, 'vendor-course-legacy-390')
    await page.getByRole('button', { name: 'Publish assessment' }).click()
    await page.getByText('Assessment of Legacy Firewall Basics published').waitFor()
    await context.close()

    const shown = await (await maria.get(`/partner/training/${LEGACY}`)).text()
    expect(shown).not.toContain('Assessment not yet available')
    expect(shown).toMatch(/1 question · pass mark 70\s%/)
  })

  test('the pages fit a 390 px phone', async () => {
    const courseId = await publishCourse(unique('Branch Firewall Deployment'))
    const partner = await approvedPartner(server.url, unique('Adatum Branch'))
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
    const page = await context.newPage()
    await signIn(page, server.url, partner.email, partner.password)
    await page.goto(`${server.url}/partner/training/${courseId}`)
    await page.getByRole('button', { name: 'Enrol' }).click()
    await page.getByRole('button', { name: 'Submit answers' }).waitFor()
    await fits(page)
    await shoot(page, 'partner-course-take-390')
    await page.getByRole('group', { name: /^1\./ }).getByLabel(questions[0]!.choices[0]!).check()
    await page.getByRole('group', { name: /^2\./ }).getByLabel(questions[1]!.choices[0]!).check()
    await page.getByRole('group', { name: /^3\./ }).getByLabel(questions[2]!.choices[1]!).check()
    await page.getByRole('button', { name: 'Submit answers' }).click()
    await page.locator('#result').waitFor()
    await fits(page)
    await shoot(page, 'partner-course-failed-390')
    await page.goto(`${server.url}/partner/training`)
    await fits(page)
    await context.close()
    const cm = await browser.newContext({ viewport: { width: 390, height: 844 } })
    const vendorPage = await cm.newPage()
    await signIn(vendorPage, server.url, demoEmails.channelManager)
    for (const to of ['/vendor/enablement/courses/new', `/vendor/enablement/courses/${courseId}`]) {
      await vendorPage.goto(`${server.url}${to}`)
      await fits(vendorPage)
    }
    await shoot(vendorPage, 'vendor-course-390')
    await cm.close()
  })
})
