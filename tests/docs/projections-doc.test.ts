// docs/projections.md explains every read model the portal runs: a section per projection in projections/all.ts.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, test } from 'vitest'
import { allProjections } from '../../projections/all.ts'

const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/projections.md'), 'utf8')
const sections = new Map(doc.split(/^### /m).slice(1).map((part) => [part.slice(0, part.indexOf('\n')).trim(), part]))

describe('docs/projections.md', () => {
  test.each(allProjections.map((p) => [p.name]))('has a section for the %s read model saying what it derives, from what, its key and who reads it', (name) => {
    const section = sections.get(`\`${name}\``)
    expect(section, `docs/projections.md has no "### \`${name}\`" section`).toBeDefined()
    for (const part of ['**Derives**', '**From**', '**Key**', '**Read by**']) expect(section, `the ${name} section says ${part}`).toContain(part)
  })

  test('names no read model that does not exist', () => {
    const names = new Set(allProjections.map((p) => p.name))
    const documented = [...sections.keys()].filter((title) => /^`[^`]+`$/.test(title)).map((title) => title.slice(1, -1))
    expect(documented.filter((name) => !names.has(name))).toEqual([])
  })
})
