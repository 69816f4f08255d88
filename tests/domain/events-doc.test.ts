import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CATALOG_PATH, renderEventCatalog } from '../../cli/docs-events.ts'
import { eventSchemas } from '../../domain/index.ts'

describe('event catalog (docs/events.md)', () => {
  it('is up to date with the zod schemas; regenerate with `npx tsx cli/docs-events.ts`', () => {
    expect(readFileSync(CATALOG_PATH, 'utf8')).toBe(renderEventCatalog())
  })
  it('documents every event type', () => {
    const catalog = renderEventCatalog()
    for (const type of Object.keys(eventSchemas)) expect(catalog).toContain(`### ${type}\n`)
  })
})
