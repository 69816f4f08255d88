// The HTTP server: Express serving static assets and React Router, with the services handed to loaders as load context.
import 'react-router'
import { createRequestHandler } from '@react-router/express'
import compression from 'compression'
import express from 'express'
import fs from 'node:fs'
import { parseEnv, type Env } from '../env.server.ts'
import { openServices, type AppServices } from '../services.server.ts'
import { healthReport } from '../health.server.ts'
import { seedDemo } from '../seed.server.ts'
import { startScheduler } from '../scheduler.server.ts'
import { formBodiesOnly } from './input-boundary.server.ts'
import { cspNonceOf, securityHeaders } from './security-headers.server.ts'

declare module 'react-router' {
  interface AppLoadContext {
    services: AppServices
    /** the script nonce of this response's content security policy (set for every page request) */
    cspNonce?: string
  }
}

/**
 * The build's other public files (public/: favicon.ico, favicon.svg, robots.txt), served from the client dir; any other
 * path goes on without a look at the disk (express.static stats for a file before every page: ~0.1 ms CPU a request,
 * decision 034). The names are read once at start: the build does not change under a running server. A folder (other
 * than assets, mounted above) serves the paths under it.
 */
export function publicFiles(clientDir: string): express.RequestHandler {
  const entries = fs.readdirSync(clientDir, { withFileTypes: true }).filter((e) => e.name !== 'assets')
  const files = new Set(entries.filter((e) => e.isFile()).map((e) => `/${e.name}`))
  const folders = entries.filter((e) => e.isDirectory()).map((e) => `/${e.name}/`)
  const serve = express.static(clientDir, { maxAge: '1h' })
  return (req, res, next) => (files.has(req.path) || folders.some((f) => req.path.startsWith(f)) ? serve(req, res, next) : next())
}

export type StartOptions = { env?: Env; clientDir: string; log?: (message: string) => void }

export async function startServer({ env = parseEnv(), clientDir, log = console.log }: StartOptions) {
  const services = await openServices({ env, log })
  if (env.SEED !== 'none') {
    const seeded = await seedDemo(services, env.SEED)
    if (seeded) log('Partnerlog: seeded demo data (sign in as maria@northwind.example / partnerlog)')
  }
  const scheduler = startScheduler(services)
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', 'loopback')
  app.use(compression())
  app.use('/assets', express.static(`${clientDir}/assets`, { immutable: true, maxAge: '1y' }))
  app.use(publicFiles(clientDir))
  app.get('/healthz', (_req, res) => {
    res.json(healthReport(services.runner.status()))
  })
  app.use(securityHeaders())
  // only forms get past this, limited as they stream in (input-boundary.server.ts)
  app.use(
    formBodiesOnly(
      createRequestHandler({
        // the build itself: given a function, React Router re-derives its routes on every request (for dev reloads)
        build: await import('virtual:react-router/server-build'),
        // the client's address for sign-in limits: X-Forwarded-For is trusted from a loopback proxy only
        getLoadContext: (req, res) => ({ services, cspNonce: cspNonceOf(res), clientAddress: req.ip }),
        mode: env.NODE_ENV,
      }),
    ),
  )
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(env.PORT, env.HOST, () => resolve(s))
  })
  // compute the program-wide insights now rather than in a first request
  services.queries.insights.current(services.clock().toISOString()).catch((error: unknown) => log(`Program insights not computed yet: ${String(error)}`))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : env.PORT
  log(`Partnerlog: listening on http://localhost:${port}`)
  let closing: Promise<void> | null = null
  const close = () =>
    (closing ??= (async () => {
      await scheduler.stop()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await services.close()
    })())
  return { server, services, port, close }
}
