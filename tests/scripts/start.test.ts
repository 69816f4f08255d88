// npm start builds only when the build's inputs changed since the build was made.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildIfChanged, HASH_FILE, MEMORY_FLAGS } from '../../scripts/start.mjs'

let root: string
let buildDir: string
let builds: number
let messages: string[]

const write = (file: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true })
  fs.writeFileSync(path.join(root, file), text)
}
// a fake build: it makes what react-router build makes, so the next start finds a build
const build = async () => {
  builds++
  write('build/server/index.js', 'export {}')
}
const start = () => buildIfChanged({ root, buildDir, build, log: (m) => messages.push(m) })

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'partnerlog-start-'))
  buildDir = path.join(root, 'build')
  builds = 0
  messages = []
  write('app/root.tsx', 'export default 1')
  write('domain/deals/deal.ts', 'export const a = 1')
  write('public/robots.txt', 'User-agent: *')
  write('package-lock.json', '{}')
  write('vite.config.ts', 'export default {}')
})
afterEach(() => fs.rmSync(root, { recursive: true, force: true }))

describe('npm start', () => {
  it("runs the portal with the memory flags the HTTP bench measures (decision 028)", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> }
    expect(pkg.scripts.start).toBe(`node ${MEMORY_FLAGS.join(' ')} scripts/start.mjs`)
  })

  it('builds when there is no build, then not again while the tree is unchanged', async () => {
    expect(await start()).toEqual({ built: true })
    expect(messages[0]).toBe('Building Partnerlog (no build yet)…')
    expect(fs.existsSync(path.join(buildDir, HASH_FILE))).toBe(true)
    messages = []
    expect(await start()).toEqual({ built: false })
    expect(builds).toBe(1)
    expect(messages[0]).toMatch(/is current \(sources unchanged\), not building/)
  })

  it.each([
    ['a changed source file', () => write('app/root.tsx', 'export default 2')],
    ['a new source file', () => write('projections/new.ts', 'export {}')],
    ['a removed source file', () => fs.rmSync(path.join(root, 'domain/deals/deal.ts'))],
    ['a changed static file', () => write('public/robots.txt', 'User-agent: *\nDisallow: /')],
    ['changed dependencies', () => write('package-lock.json', '{"v":2}')],
    ['a changed config', () => write('vite.config.ts', 'export default { a: 1 }')],
  ])('builds again after %s', async (_what, change) => {
    await start()
    change()
    messages = []
    expect(await start()).toEqual({ built: true })
    expect(messages[0]).toBe('Building Partnerlog (sources changed)…')
    expect(builds).toBe(2)
  })

  it('does not count files outside the inputs (data, tests, the build itself)', async () => {
    await start()
    write('data/pglite/x', 'rows')
    write('tests/app/x.test.ts', 'test')
    write('build/client/assets/x.js', 'js')
    expect(await start()).toEqual({ built: false })
  })

  it('builds a build that has no record of its sources, and records nothing when the build fails', async () => {
    write('build/server/index.js', 'export {}')
    await expect(buildIfChanged({ root, buildDir, build: async () => { throw new Error('syntax error') }, log: (m) => messages.push(m) })).rejects.toThrow('syntax error')
    expect(messages[0]).toBe('Building Partnerlog (no record of the sources it was built from)…')
    expect(fs.existsSync(path.join(buildDir, HASH_FILE))).toBe(false)
  })
})
