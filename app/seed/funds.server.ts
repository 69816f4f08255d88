// Demo seed of the funds area: allocations for Northwind and Contoso, and for Contoso an approved request with a claim.
import { CoInvestmentDecider, streamId as coinvestStream, type CoInvestment } from '../../domain/coinvestment/index.ts'
import type { Actor, DomainEvent } from '../../domain/shared/command.ts'
import { addDays, quarterOf } from '../../domain/shared/time.ts'
import { createFundsCommands, type FundsServices } from '../commands/funds.server.ts'
import { loadStream } from '../commands/handler.server.ts'
import type { Issued } from '../commands/core.server.ts'

/** a one-page PDF, so the demo claim has real evidence to download */
function demoInvoicePdf(): Uint8Array {
  const text = 'Contoso MSP - Invoice 2041 - Cloud Backup webinar series - 9,000.00 EUR'
  const stream = `BT /F1 14 Tf 56 760 Td (${text}) Tj ET`
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]
  let body = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((object, index) => {
    offsets.push(body.length)
    body += `${index + 1} 0 obj\n${object}\nendobj\n`
  })
  const xref = body.length
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return new TextEncoder().encode(body)
}

/** Demo funds; deterministic command ids, so running it twice changes nothing. */
export async function seedFunds(services: FundsServices) {
  const funds = createFundsCommands(services)
  const nowIso = services.clock().toISOString()
  const quarter = quarterOf(nowIso)
  const sam: Actor = { userId: 'u-sam', organisationId: 'vendor', role: 'channel_manager' }
  const li: Actor = { userId: 'u-li', organisationId: 'contoso', role: 'partner_admin' }
  const as = (actor: Actor, commandId: string): Issued => ({ actor, commandId })
  await funds.allocate(as(sam, 'seed-funds-northwind'), { partnerId: 'northwind', quarter, amount: 25_000, currency: 'EUR' })
  await funds.allocate(as(sam, 'seed-funds-contoso'), { partnerId: 'contoso', quarter, amount: 15_000, currency: 'EUR' })
  const coInvestmentId = '5eed0000-0000-4000-8000-00000000c0c1'
  await funds.request(as(li, 'seed-funds-request'), {
    coInvestmentId, partnerId: 'contoso', quarter, kind: 'mdf', activity: 'Cloud Backup webinar series for UK SMBs',
    totalCost: 12_000, partnerInvestment: 6_000, amountRequested: 6_000, currency: 'EUR', expectedPipeline: 120_000,
  })
  const ci = await loadStream<CoInvestment, DomainEvent>(services.store, coinvestStream(coInvestmentId), CoInvestmentDecider as never)
  if (ci.state.status === 'Requested') {
    await funds.approve(as(sam, 'seed-funds-approve'), { coInvestmentId, approvedAmount: 5_000, maxReimbursementPct: 50, claimDeadline: addDays(nowIso, 60) })
  }
  const bytes = demoInvoicePdf()
  const stored = await services.files.put(bytes)
  const again = await loadStream<CoInvestment, DomainEvent>(services.store, coinvestStream(coInvestmentId), CoInvestmentDecider as never)
  if (again.state.status === 'Approved') {
    await funds.submitClaim(as(li, 'seed-funds-claim'), {
      coInvestmentId, invoiceAmount: 9_000, leadCount: 38,
      evidence: [{ sha256: stored.sha256, filename: 'invoice-2041.pdf', size: stored.size, contentType: 'application/pdf' }],
    })
  }
}
