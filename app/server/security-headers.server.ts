// The portal's security headers (helmet): a nonce-based content security policy, no framing or sniffing, same-origin
// referrers. A response with its own policy (a file, co-branded HTML) keeps that one alone.
import { randomBytes } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import type { RequestHandler, Response } from 'express'
import helmet from 'helmet'

/** the nonce this response's scripts carry (to React Router through the load context) */
export function cspNonceOf(res: Response): string {
  return res.locals.cspNonce as string
}

export function securityHeaders(): RequestHandler[] {
  const nonce: RequestHandler = (_req, res, next) => {
    res.locals.cspNonce = randomBytes(18).toString('base64url')
    next()
  }
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        // React Router's inline context and module loader, and React's own inline scripts, carry the nonce
        scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as ServerResponse & { locals: Record<string, unknown> }).locals.cspNonce}'`],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'"],
        // style attributes React renders: co-brand previews in the partner's colours, the widths of bars
        styleSrcAttr: ["'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
  })
  // the adapter appends headers and browsers enforce both policies, so a response's own policy replaces the page's
  const ownPolicyWins: RequestHandler = (_req, res, next) => {
    const append = res.append.bind(res)
    res.append = (field: string, value?: string | string[]) =>
      field.toLowerCase() === 'content-security-policy' && value !== undefined ? res.set(field, value) : append(field, value)
    next()
  }
  return [nonce, headers, ownPolicyWins]
}
