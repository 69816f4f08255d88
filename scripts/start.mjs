// `npm start`: builds the portal only when its sources changed since the last build, then runs server.js.
// Plain JavaScript so that Node runs it without a compile step: a current build serves in a few seconds.
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import readline from 'node:readline'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** What the build is made of: these folders and files; node_modules enter through package-lock.json. */
export const BUILD_INPUTS = [
  'app', 'domain', 'projections', 'eventstore', 'public',
  'react-router.config.ts', 'vite.config.ts', 'tsconfig.json', 'package.json', 'package-lock.json',
]

/**
 * V8 flags for the portal's node command line (decision 028): a heap limit makes V8 collect before RSS grows past it
 * (default: ~4 GB). package.json's start script and the HTTP bench put them on node's command line (V8 takes them
 * only there; a test keeps the script and this list the same).
 */
export const MEMORY_FLAGS = ['--max-old-space-size=256']

/** Where a build records the hash of the inputs it was made from. */
export const HASH_FILE = '.inputs-sha256'

/** React Router 7's Vite plugin passes Vite 8 the deprecated `envFile: false` (fixed upstream in React Router 8, remix-run/react-router#15229). */
const UPSTREAM_NOISE = /^The `envFile` option is deprecated, please use `envDir: false` instead\.\s*$/

function filesUnder(root, relative) {
  const full = path.join(root, relative)
  if (!fs.existsSync(full)) return []
  if (!fs.statSync(full).isDirectory()) return [relative]
  return fs.readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const child = path.join(relative, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : filesUnder(root, child)
    return entry.isFile() ? [child] : []
  })
}

/** One sha256 over every input's path and content, in a fixed order. */
export function inputsHash(root, inputs = BUILD_INPUTS) {
  const hash = createHash('sha256')
  const files = inputs.flatMap((input) => filesUnder(root, input)).map((f) => f.split(path.sep).join('/')).sort()
  for (const file of files) {
    hash.update(file).update('\0')
    hash.update(createHash('sha256').update(fs.readFileSync(path.join(root, file))).digest('hex')).update('\n')
  }
  return hash.digest('hex')
}

/** Why the build in buildDir must be made again, or null when it was made from these very inputs. */
export function staleBecause(buildDir, hash) {
  if (!fs.existsSync(path.join(buildDir, 'server/index.js'))) return 'no build yet'
  const recorded = fs.existsSync(path.join(buildDir, HASH_FILE)) ? fs.readFileSync(path.join(buildDir, HASH_FILE), 'utf8').trim() : null
  if (recorded === null) return 'no record of the sources it was built from'
  return recorded === hash ? null : 'sources changed'
}

/** Builds when the inputs differ from the recorded ones; records their hash (taken before building) after a good build. */
export async function buildIfChanged({ root, buildDir, build, log = console.log }) {
  const hash = inputsHash(root)
  const reason = staleBecause(buildDir, hash)
  if (!reason) {
    log(`Partnerlog: the build in ${path.relative(root, buildDir) || '.'} is current (sources unchanged), not building.`)
    return { built: false }
  }
  log(`Building Partnerlog (${reason})…`)
  const started = Date.now()
  await build()
  fs.mkdirSync(buildDir, { recursive: true })
  fs.writeFileSync(path.join(buildDir, HASH_FILE), `${hash}\n`)
  log(`Partnerlog: built in ${((Date.now() - started) / 1000).toFixed(1)} s.`)
  return { built: true }
}

/** `react-router build` with its own output passed through, less the one upstream deprecation line. */
export function reactRouterBuild(root) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'node_modules/@react-router/dev/bin.js'), 'build'], {
      // piped, the build would print without colours: keep them when the start itself writes to a terminal
      cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...(process.stdout.isTTY ? { FORCE_COLOR: '1' } : {}) },
    })
    for (const [stream, out] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
      readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        if (!UPSTREAM_NOISE.test(line)) out.write(`${line}\n`)
      })
    }
    child.on('error', reject)
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`react-router build failed (${signal ?? `exit ${code}`})`))))
  })
}

const invokedDirectly = process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url
if (invokedDirectly) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
  const buildDir = path.resolve(root, process.env.PARTNERLOG_BUILD_DIR ?? 'build')
  try {
    await buildIfChanged({ root, buildDir, build: () => reactRouterBuild(root) })
  } catch (error) {
    console.error(`Partnerlog: ${error instanceof Error ? error.message : String(error)}`)
    process.exit(1)
  }
  // --build-only: `npm test` builds the same way and runs its own servers
  if (!process.argv.includes('--build-only')) await import(pathToFileURL(path.join(root, 'server.js')).href)
}
