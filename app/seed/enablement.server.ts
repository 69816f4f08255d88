// Demo content of the enablement area: the collateral library (real PDF and HTML files); the courses are in
// training-demo.server.ts.
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib'
import type { Actor, Command, Decider, DomainEvent } from '../../domain/shared/command.ts'
import type { FileRef } from '../../domain/shared/schemas.ts'
import type { QuestionInput } from '../../domain/training/index.ts'
import { checkUpload, type PublishAssetInput, type PublishCourseInput } from '../commands/enablement.server.ts'
import type { CommandResult } from '../commands/handler.server.ts'
import type { AppServices } from '../services.server.ts'

/** runs one seed command at the seed's business time (as the minimal seed does) */
export type SeedRun = <C extends Command, E extends DomainEvent, S>(
  decider: Decider<C, E, S>, stream: string, type: C['type'], data: C['data'], actor: Actor,
) => Promise<CommandResult<E>>

/** a small, real PDF: a title page with a few paragraphs */
export async function demoPdf(title: string, subtitle: string, paragraphs: string[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create()
  const font = await pdf.embedFont(StandardFonts.Helvetica)
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold)
  const page = pdf.addPage([595.28, 841.89])
  const { width, height } = page.getSize()
  page.drawRectangle({ x: 0, y: height - 8, width, height: 8, color: rgb(0.16, 0.33, 0.88) })
  page.drawText('Acme Cloud', { x: 48, y: height - 60, size: 12, font: bold, color: rgb(0.16, 0.33, 0.88) })
  page.drawText(title, { x: 48, y: height - 110, size: 24, font: bold, maxWidth: width - 96 })
  page.drawText(subtitle, { x: 48, y: height - 140, size: 13, font, color: rgb(0.3, 0.3, 0.35), maxWidth: width - 96 })
  let y = height - 190
  for (const paragraph of paragraphs) {
    const words = paragraph.split(' ')
    let line = ''
    for (const word of words) {
      const candidate = line ? `${line} ${word}` : word
      if (font.widthOfTextAtSize(candidate, 11) > width - 96) {
        page.drawText(line, { x: 48, y, size: 11, font })
        y -= 16
        line = word
      } else line = candidate
    }
    if (line) page.drawText(line, { x: 48, y, size: 11, font })
    y -= 28
  }
  pdf.setTitle(title)
  pdf.setProducer('Partnerlog demo')
  return pdf.save()
}

export function demoHtml(title: string, body: string): Uint8Array {
  return new TextEncoder().encode(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>body{margin:0;font-family:system-ui,sans-serif;color:#1f2937}main{max-width:640px;margin:0 auto;padding:24px}h1{color:{{partner.primaryColor}}}</style></head>
<body><main><h1>${title}</h1>${body}<p>Best regards,<br>{{partner.contactName}}, {{partner.name}}</p></main></body></html>`)
}

export type SeedAsset = Omit<PublishAssetInput, 'file'> & { file: () => Promise<{ filename: string; bytes: Uint8Array }> }

const pdfFile = (filename: string, title: string, subtitle: string, paragraphs: string[]) => async () => ({ filename, bytes: await demoPdf(title, subtitle, paragraphs) })
const htmlFile = (filename: string, title: string, body: string) => async () => ({ filename, bytes: demoHtml(title, body) })

export const demoAssets: SeedAsset[] = [
  {
    assetId: 'cloud-backup-sales-guide', title: 'Cloud Backup sales guide', audience: 'to_partner', assetType: 'sales_guide', product: 'Cloud Backup', language: 'en',
    description: 'Qualify backup opportunities in mid-market accounts: buyer personas, discovery questions and objection handling.',
    tags: ['backup', 'discovery', 'mid-market'], audienceRules: {}, coBrandable: false,
    file: pdfFile('cloud-backup-sales-guide.pdf', 'Cloud Backup sales guide', 'Qualify, position, close', ['Who buys: IT managers who lost data once and finance leads who fear downtime.', 'Ask: how long could you work without your file server? When did you last test a restore?']),
  },
  {
    assetId: 'edge-firewall-demo-script', title: 'Edge Firewall demo script', audience: 'to_partner', assetType: 'demo_script', product: 'Edge Firewall', language: 'en',
    description: 'A 20-minute demo that shows policy roll-out to 50 branch offices and a live ransomware block.',
    tags: ['demo', 'firewall', 'ransomware'], audienceRules: { requiredCertification: 'Cloud Backup Associate' }, coBrandable: false,
    file: pdfFile('edge-firewall-demo-script.pdf', 'Edge Firewall demo script', '20 minutes, three acts', ['Act 1: the branch office problem. Act 2: one policy, fifty sites. Act 3: the ransomware block, live.']),
  },
  {
    assetId: 'price-list-2026', title: 'Partner price list 2026', audience: 'to_partner', assetType: 'price_list', language: 'en',
    description: 'List prices and partner discounts for every product, valid from 1 January 2026.',
    tags: ['pricing', 'discounts'], audienceRules: {}, coBrandable: false,
    file: pdfFile('price-list-2026.pdf', 'Partner price list 2026', 'Valid from 1 January 2026', ['Cloud Backup: EUR 4 per protected device per month. Edge Firewall: EUR 900 per appliance per year.', 'Registered partners 15 %, silver 22 %, gold 30 %, platinum 36 % off list.']),
  },
  {
    assetId: 'gold-competitive-battlecard', title: 'Competitive battlecard (gold)', audience: 'to_partner', assetType: 'sales_guide', product: 'Edge Firewall', language: 'en',
    description: 'How Edge Firewall wins against the three most common competitors, with pricing counters.',
    tags: ['competition', 'battlecard'], audienceRules: { minimumTier: 'gold' }, coBrandable: false,
    file: pdfFile('competitive-battlecard.pdf', 'Competitive battlecard', 'For gold partners', ['Where we win, where we lose, and what to say.']),
  },
  {
    assetId: 'dach-training-deck', title: 'Schulungsfolien Cloud Backup (DACH)', audience: 'to_partner', assetType: 'training_deck', product: 'Cloud Backup', language: 'de',
    description: 'Schulungsfolien für Vertriebsteams in Deutschland, Österreich und der Schweiz.',
    tags: ['schulung', 'backup', 'dach'], audienceRules: { geographies: ['DE', 'AT', 'CH'] }, coBrandable: false,
    file: pdfFile('schulung-cloud-backup.pdf', 'Schulungsfolien Cloud Backup', 'DACH', ['Warum Datensicherung in die Cloud gehört.']),
  },
  {
    assetId: 'hospital-case-study', title: 'Case study: St. Mary’s Hospital restores in minutes', audience: 'thru_partner', assetType: 'case_study', product: 'Cloud Backup', language: 'en',
    description: 'How a 900-bed hospital cut its restore time from two days to twelve minutes after a ransomware attack.',
    tags: ['healthcare', 'ransomware', 'backup'], audienceRules: {}, coBrandable: true,
    file: pdfFile('hospital-case-study.pdf', 'St. Mary’s Hospital restores in minutes', 'Customer story', ['Challenge: a ransomware attack encrypted 40 servers on a Sunday night.', 'Result: every clinical system was back within twelve minutes of the decision to restore.']),
  },
  {
    assetId: 'zero-trust-white-paper', title: 'White paper: Zero trust for the branch office', audience: 'thru_partner', assetType: 'white_paper', product: 'Edge Firewall', language: 'en',
    description: 'A vendor-neutral guide for IT leaders on moving branch offices to zero-trust networking.',
    tags: ['zero trust', 'branch', 'networking'], audienceRules: {}, coBrandable: true,
    file: pdfFile('zero-trust-white-paper.pdf', 'Zero trust for the branch office', 'White paper', ['Trust nothing by default; verify every connection; segment what matters.']),
  },
  {
    assetId: 'backup-email-campaign', title: 'Email template: “Can you restore by Monday?”', audience: 'thru_partner', assetType: 'email_template', product: 'Cloud Backup', language: 'en',
    description: 'A three-paragraph email inviting customers to a free restore test, with your name and colours.',
    tags: ['email', 'campaign', 'backup'], audienceRules: {}, coBrandable: true,
    file: htmlFile('restore-test-email.html', 'Can you restore by Monday?', '<p>Most companies find out how long a restore takes on the worst possible day.</p><p>{{partner.name}} offers a free restore test of one server this month: we measure, you keep the report.</p>'),
  },
  {
    assetId: 'social-ransomware-week', title: 'Social post: ransomware awareness week', audience: 'thru_partner', assetType: 'social_template', product: 'Edge Firewall', language: 'en',
    description: 'Ready-to-post LinkedIn copy and image text for ransomware awareness week.',
    tags: ['social', 'linkedin', 'ransomware'], audienceRules: { journeyPhases: ['activation', 'investment', 'devotion'] }, coBrandable: true,
    file: htmlFile('ransomware-week-post.html', 'Ransomware awareness week', '<p>Three questions to ask your IT team this week. {{partner.name}} can help you answer them.</p>'),
  },
  {
    assetId: 'uk-smb-case-study', title: 'Case study: a Leeds law firm moves to Cloud Backup', audience: 'thru_partner', assetType: 'case_study', product: 'Cloud Backup', language: 'en',
    description: 'A 60-person UK law firm replaced tapes with Cloud Backup and passed its Cyber Essentials audit.',
    tags: ['legal', 'smb', 'uk', 'backup'], audienceRules: { geographies: ['UK', 'IE'] }, coBrandable: true,
    file: pdfFile('leeds-law-firm.pdf', 'A Leeds law firm moves to Cloud Backup', 'Customer story', ['Tapes out, audit passed, partners happy.']),
  },
]

const question = (text: string, right: string, ...wrong: string[]): QuestionInput => ({
  text, kind: 'single', choices: [{ text: right, correct: true }, ...wrong.map((w) => ({ text: w, correct: false }))],
})

/** the library's own courses: the firewall, ransomware and small-business courses its assets point to */
export const demoCourses: PublishCourseInput[] = [
  {
    courseId: 'edge-firewall-professional', title: 'Edge Firewall Professional', description: 'Design, deploy and troubleshoot Edge Firewall for multi-site customers.',
    certification: { name: 'Edge Firewall Professional', validityMonths: 12 },
    questions: [
      question('How are policies rolled out to branch offices?', 'One policy, pushed to every site', 'Configured site by site', 'By email to each site'),
      question('What blocks ransomware at the edge?', 'Traffic inspection against known command servers', 'A bigger bandwidth', 'Longer passwords'),
      question('How long does the standard demo take?', '20 minutes', '2 hours', '5 minutes'),
      question('What does Edge Firewall cost?', 'EUR 900 per appliance per year', 'EUR 9 per user per month', 'A one-off licence'),
    ],
  },
  {
    courseId: 'ransomware-readiness', title: 'Ransomware Readiness Specialist', description: 'Run a ransomware readiness workshop and turn it into a backup and firewall proposal.',
    certification: { name: 'Ransomware Readiness Specialist', validityMonths: 24 },
    questions: [
      question('What comes first in a readiness workshop?', 'An inventory of what must be restored first', 'A price quote', 'A firewall replacement'),
      question('What keeps backups safe from ransomware?', 'Immutable copies off the network', 'A second disk in the server', 'Daily snapshots on the same host'),
      question('Who must attend the workshop?', 'IT and the business owners of key systems', 'IT only', 'The vendor only'),
      question('What does the workshop end with?', 'A proposal with restore times the customer agreed', 'A signed order', 'A penetration test'),
    ],
  },
  {
    courseId: 'selling-to-smb', title: 'Selling to small businesses', description: 'A short course on finding, qualifying and closing small-business customers. No certification.',
    questions: [
      question('Where do small businesses buy IT?', 'From a local partner they trust', 'Directly from vendors', 'At trade fairs only'),
      question('What closes a small-business deal fastest?', 'A fixed monthly price', 'A long proposal', 'A discount on hardware'),
    ],
  },
]

/** Stores the library's files and the claim evidence; what the assets' and claims' commands refer to. */
export async function storeDemoFiles(services: Pick<AppServices, 'files'>): Promise<{ assets: Map<string, FileRef>; invoice: FileRef }> {
  const assets = new Map<string, FileRef>()
  for (const a of demoAssets) {
    const upload = await a.file()
    const checked = checkUpload(upload.filename, upload.bytes)
    const stored = await services.files.put(upload.bytes)
    assets.set(a.assetId, { sha256: stored.sha256, size: stored.size, filename: checked.filename, contentType: checked.contentType })
  }
  const bytes = await demoPdf('Invoice 2041', 'Campaign costs', ['Agency services for the campaign, as agreed in the approved co-investment.'])
  const stored = await services.files.put(bytes)
  return { assets, invoice: { sha256: stored.sha256, size: stored.size, filename: 'invoice-2041.pdf', contentType: 'application/pdf' } }
}
