// The one place the environment is read and validated; the process fails at start-up with the field errors.
import path from 'node:path'
import { z } from 'zod'
import { parseSigningKey, publicKeyFrom } from './deployment-key.server.ts'

const optionalUrl = (protocols: string[], example: string) =>
  z
    .string()
    .trim()
    .transform((value) => (value === '' ? undefined : value))
    .optional()
    .refine((value) => value === undefined || protocols.some((p) => value.startsWith(p)), {
      message: `must start with ${protocols.join(' or ')} (e.g. ${example})`,
    })

/** the portal's public origin (scheme, host, port), e.g. https://partners.example.com: no path, query or fragment */
const publicUrl = z
  .string()
  .trim()
  .optional()
  .transform((value, ctx) => {
    if (!value) return undefined
    const problem = () => {
      ctx.addIssue({ code: 'custom', message: 'must be the portal\'s public origin only, e.g. https://partners.example.com (http or https, no path, query or fragment)' })
      return z.NEVER
    }
    let url: URL
    try {
      url = new URL(value)
    } catch {
      return problem()
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return problem()
    if (url.username || url.password || url.pathname !== '/' || /[?#]/.test(value)) return problem()
    return url.origin
  })

/** an Ed25519 private key in PKCS#8 PEM, kept as its PEM text */
const signingKey = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const pem = value?.trim().replace(/\\n/g, '\n')
    if (!pem) return undefined
    try {
      parseSigningKey(pem)
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `${error instanceof Error ? error.message : String(error)}; make one with: openssl genpkey -algorithm ed25519` })
      return z.NEVER
    }
    return pem
  })

/** earlier deployments' Ed25519 public keys, comma-separated (SPKI PEM with "\n" escapes, or raw base64) */
const sealPublicKeys = z
  .string()
  .optional()
  .transform((value, ctx) => {
    const entries = (value ?? '').split(',').map((entry) => entry.trim().replace(/\\n/g, '\n')).filter(Boolean)
    entries.forEach((entry, i) => {
      try {
        publicKeyFrom(entry)
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `entry ${i + 1} ${error instanceof Error ? error.message : String(error)}` })
      }
    })
    return entries
  })

export const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  /** where people reach the portal; absolute links are built from it, never from a request's Host */
  PUBLIC_URL: publicUrl,
  /** embedded PGlite data and uploaded files live here */
  DATA_DIR: z.string().default('./data'),
  /** PostgreSQL server for events and read models instead of embedded PGlite */
  DATABASE_URL: optionalUrl(['postgres://', 'postgresql://'], 'postgres://user:pass@host:5432/partnerlog'),
  /** EventStoreDB/KurrentDB for events (read models stay in DATABASE_URL or PGlite) */
  EVENTSTORE_URL: optionalUrl(['esdb://', 'esdb+discover://', 'kurrentdb://', 'kdb://'], 'esdb://localhost:2113?tls=false'),
  /** signs session cookies; generated once and kept in the database when not set */
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Ed25519 key (PKCS#8 PEM, "\n" escapes allowed) for signed exports and seals; else generated and kept in SQL */
  SIGNING_KEY: signingKey,
  /** public keys of signing keys rotated out: seals they signed still verify on the Verify page */
  SEAL_PUBLIC_KEYS: sealPublicKeys,
  /** 'auto': Secure cookies when the request came over TLS (X-Forwarded-Proto behind a proxy) */
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  /** seed data for an empty store: the full demo program, a minimal one, or nothing */
  SEED: z.enum(['demo', 'minimal', 'none']).default('demo'),
  /** memory for the pages' loader answers kept while the read models do not change (0: none kept) */
  VIEW_CACHE_MB: z.coerce.number().int('must be a whole number of megabytes').min(0).max(4096).default(64),
  LOG_LEVEL: z.enum(['silent', 'error', 'info', 'debug']).default('info'),
})

export type Env = Omit<z.infer<typeof EnvSchema>, 'PUBLIC_URL'> & { PUBLIC_URL: string; filesDir: string; pgliteDir: string }

export class EnvError extends Error {
  override readonly name = 'EnvError'
}

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = EnvSchema.safeParse(source)
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
    throw new EnvError(`Invalid environment:\n${lines.join('\n')}`)
  }
  const dataDir = path.resolve(result.data.DATA_DIR)
  const publicUrl = result.data.PUBLIC_URL ?? `http://localhost:${result.data.PORT}`
  return { ...result.data, PUBLIC_URL: publicUrl, DATA_DIR: dataDir, filesDir: path.join(dataDir, 'files'), pgliteDir: path.join(dataDir, 'pglite') }
}
