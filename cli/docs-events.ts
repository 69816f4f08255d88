// Generates docs/events.md, the event catalog, from the domain's zod schemas; `--check` exits 1 when the file is stale.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { z } from 'zod'
import { eventSchemasByAggregate, eventVersions, personalData } from '../domain/index.ts'

export const CATALOG_PATH = fileURLToPath(new URL('../docs/events.md', import.meta.url))

const STREAMS: Record<keyof typeof eventSchemasByAggregate, string> = {
  deals: 'deal-<dealId>',
  accounts: 'account-<accountId>',
  partners: 'partner-<partnerId>',
  training: 'course-<courseId>',
  workshops: 'workshop-<workshopId>',
  allocations: 'allocation-<partnerId>-<quarter>',
  coinvestment: 'coinvest-<coInvestmentId>',
  assets: 'asset-<assetId>',
  psat: 'survey-<surveyId>',
  plans: 'plan-<partnerId>',
  settings: 'settings-program',
  staff: 'vendor-<vendorId>',
  privacy: 'erasure-<subject>',
}

type JsonSchema = {
  type?: string | string[]
  format?: string
  pattern?: string
  enum?: unknown[]
  const?: unknown
  anyOf?: JsonSchema[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  additionalProperties?: JsonSchema | boolean
  description?: string
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  minItems?: number
  minLength?: number
  default?: unknown
}
type Row = { field: string; type: string; required: boolean; description: string }

const FORMATS: Record<string, string> = { date: 'date (YYYY-MM-DD)', 'date-time': 'instant (ISO-8601)', email: 'email', uri: 'URL' }

function typeOf(s: JsonSchema): string {
  if (s.anyOf) return s.anyOf.map(typeOf).join(' \\| ')
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' \\| ')
  if (s.const !== undefined) return `\`${String(s.const)}\``
  if (s.type === 'null') return 'null'
  if (s.type === 'array') return `${s.items ? typeOf(s.items) : 'unknown'}[]${s.minItems ? ` (at least ${s.minItems})` : ''}`
  if (s.type === 'object') return s.properties ? 'object' : `record of ${typeof s.additionalProperties === 'object' ? typeOf(s.additionalProperties) : 'unknown'}`
  if (s.type === 'string') {
    if (s.format && FORMATS[s.format]) return FORMATS[s.format]!
    if (s.pattern && s.pattern.length <= 40) return `string \`${s.pattern}\``
    return 'string'
  }
  if (s.type === 'number' || s.type === 'integer') {
    const bounds = [
      s.exclusiveMinimum !== undefined ? `> ${s.exclusiveMinimum}` : s.minimum !== undefined && s.minimum > Number.MIN_SAFE_INTEGER ? `>= ${s.minimum}` : '',
      s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER ? `<= ${s.maximum}` : '',
    ].filter(Boolean)
    return `${s.type}${bounds.length ? ` (${bounds.join(', ')})` : ''}`
  }
  return String(s.type ?? 'unknown')
}

/** nested objects (also inside arrays and nullable unions) become dotted rows */
function rows(schema: JsonSchema, prefix = ''): Row[] {
  const out: Row[] = []
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const field = `${prefix}${name}`
    out.push({ field, type: typeOf(prop), required: (schema.required ?? []).includes(name), description: prop.description ?? '' })
    const objectPart = [prop, ...(prop.anyOf ?? [])].find((p) => p.type === 'object' && p.properties)
    if (objectPart) out.push(...rows(objectPart, `${field}.`))
    const itemObject = prop.type === 'array' && prop.items?.type === 'object' && prop.items.properties ? prop.items : undefined
    if (itemObject) out.push(...rows(itemObject, `${field}[].`))
  }
  return out
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')

function fieldTable(schema: z.ZodType): string[] {
  const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema
  const lines = ['| Field | Type | Required | Description |', '| --- | --- | --- | --- |']
  for (const row of rows(json)) lines.push(`| \`${row.field}\` | ${row.type} | ${row.required ? 'yes' : 'no'} | ${cell(row.description)} |`)
  return lines
}

/** the current version, and each older one's upcaster and stored fields */
function versionLines(type: string): string[] {
  const versions = eventVersions[type]
  if (!versions) return ['Schema version 1 (current).', '']
  const lines = [`Schema version ${versions.current} (current). Stored events of an older version are never rewritten; the codec upcasts them on every read:`, '']
  for (const step of versions.upcasters) lines.push(`- version ${step.from} → ${step.from + 1}: ${step.describe}`)
  lines.push('')
  return lines
}

/** the fields each older version was stored with, newest first, folded away under the current table */
function olderVersionTables(type: string): string[] {
  const lines: string[] = []
  for (const step of [...(eventVersions[type]?.upcasters ?? [])].reverse()) {
    lines.push(`<details><summary>Version ${step.from} fields (as stored)</summary>`, '', ...fieldTable(step.schema), '', '</details>', '')
  }
  return lines
}

export function renderEventCatalog(): string {
  const lines = [
    '# Event catalog',
    '',
    'Generated by `npx tsx cli/docs-events.ts` from the zod schemas in domain/; do not edit by hand.',
    '`npx tsx cli/docs-events.ts --check` (and tests/domain/events-doc.test.ts) fails when this file is out of date.',
    '',
    'Every event is stored in the envelope described in ARCHITECTURE.md; the tables list its `data`.',
    'Money is a number in the major unit with a `currency` beside it. Personal data is listed under each event: it is',
    'stored encrypted with the key of its subject, and reads as a placeholder once that key is erased (docs/decisions/004).',
    'Each event names its schema version: the table shows the current one; older versions are listed with their upcaster',
    '(docs/how-to-change-an-event.md).',
    '',
  ]
  for (const [aggregate, schemas] of Object.entries(eventSchemasByAggregate)) {
    lines.push(`## ${aggregate}`, '', `Stream: \`${STREAMS[aggregate as keyof typeof STREAMS]}\``, '')
    for (const [type, schema] of Object.entries(schemas)) {
      const json = z.toJSONSchema(schema as z.ZodType, { io: 'output', unrepresentable: 'any' }) as JsonSchema
      lines.push(`### ${type}`, '')
      if (json.description) lines.push(json.description, '')
      lines.push(...versionLines(type), ...fieldTable(schema as z.ZodType), '', ...olderVersionTables(type))
      for (const rule of personalData[type] ?? []) {
        const fields = rule.fields.map((f) => `\`${f.path.replace(/\.\*$/, '[]')}\``).join(', ')
        lines.push(`Personal data (key of subject \`${rule.subjectPattern}\`): ${fields}.`, '')
      }
    }
  }
  return lines.join('\n')
}

function main(args: string[]) {
  const rendered = renderEventCatalog()
  if (args.includes('--check')) {
    let current = ''
    try {
      current = readFileSync(CATALOG_PATH, 'utf8')
    } catch {
      // a missing catalog is out of date
    }
    if (current !== rendered) {
      process.stderr.write('docs/events.md is out of date; run `npx tsx cli/docs-events.ts`\n')
      process.exit(1)
    }
    process.stdout.write('docs/events.md is up to date\n')
    return
  }
  writeFileSync(CATALOG_PATH, rendered)
  process.stdout.write(`wrote ${CATALOG_PATH}\n`)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2))
