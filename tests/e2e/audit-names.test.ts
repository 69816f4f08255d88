// The auditor reads who did what by name, for people and partners made in the portal as much as for seeded ones:
// on the timeline, on an event's page and on the timeline as of a date.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { formatDate } from '../../app/format.ts'
import { approvedPartner, inviteColleague, registerDeal } from './fixtures.ts'
import { demoEmails, httpSession, type HttpSession } from './http.ts'
import { startServer, type RunningServer } from './support.ts'

let server: RunningServer
let auditor: HttpSession

beforeAll(async () => {
  server = await startServer()
  auditor = await httpSession(server.url, demoEmails.auditor)
})
afterAll(async () => {
  await server?.stop()
})

/** the timeline's rows as text: event type, then the actor cell */
const rowsOf = (html: string) =>
  [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1]!.replace(/<details[\s\S]*?<\/details>/g, '').replace(/<!-- -->/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim())

describe('actors by name', () => {
  test('a partner user invited in the portal shows by name on the timeline, the event page and the timeline as of today', async () => {
    const partner = await approvedPartner(server.url)
    const colleague = await inviteColleague(partner.session)
    const session = await httpSession(server.url, colleague.email, colleague.password)
    const deal = await registerDeal(session)

    const timeline = await (await auditor.get(`/audit?partner=${partner.partnerId}`)).text()
    const rows = rowsOf(timeline)
    const registered = rows.find((r) => r.includes('DealRegistered'))
    expect(registered, 'the deal registration is on the timeline').toBeDefined()
    expect(registered).toContain(`${colleague.name} for ${partner.company}`)
    expect(rows.find((r) => r.includes('UserInvited'))).toContain(`${partner.name} for ${partner.company}`)
    expect(rows.find((r) => r.includes('PartnerApplied'))).toContain(`${partner.name} for ${partner.company}`)
    expect(rows.find((r) => r.includes('PartnerApproved'))).toContain('Vera Lindqvist')
    // no raw user id in any actor cell
    expect(timeline).not.toMatch(/<td class="td">u-[0-9a-f-]{8,}/)

    const eventId = timeline.match(/href="\/audit\/events\/([0-9a-f-]{36})"[^>]*>DealRegistered</)![1]!
    const eventPage = (await (await auditor.get(`/audit/events/${eventId}`)).text()).replace(/<!-- -->/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')
    expect(eventPage).toContain(`Actor ${colleague.name}, partner user at ${partner.company}`)
    expect(eventPage).toContain(deal.customerName)

    // the timeline as of today on the auditor's clock names them the same way
    const today = new Date().toISOString().slice(0, 10)
    expect((await auditor.post('/audit/as-of', { date: today, clock: 'occurred' })).status).toBe(302)
    const asOfPage = await (await auditor.get(`/audit?partner=${partner.partnerId}`)).text()
    // the toast writes the date as every page does (it read 'as of 2026-12-07')
    expect(asOfPage).toContain(`Showing the program as of ${formatDate(`${today}T00:00:00Z`)}, as it happened by that date.`)
    const asOf = rowsOf(asOfPage)
    expect(asOf.find((r) => r.includes('DealRegistered'))).toContain(`${colleague.name} for ${partner.company}`)
    await auditor.post('/audit/as-of', { date: '' })
  })
})
