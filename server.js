// Production entry: runs the built server (npm start builds first). Data lives in ./data unless DATABASE_URL is set.
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

// React and React Router choose their development or production build from NODE_ENV when first imported; unset, they
// would load the development builds (several times slower to render), so the portal runs as production by default.
process.env.NODE_ENV ??= 'production'

const here = path.dirname(fileURLToPath(import.meta.url))
const buildDir = path.resolve(here, process.env.PARTNERLOG_BUILD_DIR ?? 'build')
let build
try {
  build = await import(pathToFileURL(path.join(buildDir, 'server/index.js')).href)
} catch (error) {
  console.error('Partnerlog is not built yet: run `npm start` (it builds first) or `npm run build`.')
  console.error(error)
  process.exit(1)
}

try {
  const { close } = await build.startServer({ clientDir: path.join(buildDir, 'client') })
  let stopping = false
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, async () => {
      if (stopping) process.exit(1)
      stopping = true
      await close()
      process.exit(0)
    })
  }
} catch (error) {
  console.error(`Partnerlog could not start: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
}
