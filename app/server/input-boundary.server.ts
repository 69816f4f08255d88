// The door for request bodies, in front of React Router: a body that is not an HTML form is refused with 415, and a form
// is counted as it arrives (chunked too) and cut off with 413 past its limit, whoever reads it and whenever.
import { Transform } from 'node:stream'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { BODY_LIMITS, BodyTooLarge, bodyKindOf, NOT_A_FORM, tooLargeReason } from '../form-body.server.ts'

/** time for a refused client to read the answer before its connection is dropped */
const HANG_UP_AFTER_MS = 2_000
/** what is still read of an unread body after the answer, to keep the connection for the next request */
const DRAIN_AT_MOST = 64 * 1024

/** Ends the connection (the answer is sent first), then drops it a little later: the client reads the answer, no reset. */
function hangUp(req: Request) {
  const socket = req.socket
  socket.end()
  setTimeout(() => socket.destroy(), HANG_UP_AFTER_MS).unref()
}

/**
 * Once the answer is sent, the rest of a body nobody read (a refused one, an action that answered first) is read and
 * dropped if it is small, so that the connection serves the next request; a larger one is not read at all: the
 * connection is closed instead (Node would otherwise read all of it, or wait for it).
 */
function finishUnreadBody(req: Request, res: Response, cutOff: () => boolean) {
  res.once('finish', () => {
    if (req.complete) return
    if (cutOff()) return hangUp(req)
    let drained = 0
    req.unpipe()
    req.on('data', (chunk: Buffer) => {
      drained += chunk.length
      if (drained > DRAIN_AT_MOST) {
        req.pause()
        hangUp(req)
      }
    })
    req.resume()
  })
}

function refuse(req: Request, res: Response, status: 413 | 415, reason: string) {
  if (res.headersSent) {
    req.socket.destroy()
    return
  }
  res.status(status).type('text/plain').send(reason)
}

/**
 * Wraps the handler that reads bodies (React Router's): it gets the request with a body that is counted on its way in.
 * Past the limit the body it reads fails (the form parser answers 413 too) and this answers 413 at once.
 */
export function formBodiesOnly(handler: RequestHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD') return handler(req, res, next)
    let cutOff = false
    finishUnreadBody(req, res, () => cutOff)
    const kind = bodyKindOf(req.headers['content-type'])
    if (!kind) return refuse(req, res, 415, NOT_A_FORM)
    const limit = BODY_LIMITS[kind]
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      cutOff = true
      return refuse(req, res, 413, tooLargeReason(kind))
    }
    let received = 0
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length
        if (received <= limit) return callback(null, chunk)
        // stop reading: the rest stays on the wire until the connection is closed after the answer
        cutOff = true
        req.unpipe(counted)
        req.pause()
        callback(new BodyTooLarge(kind))
        refuse(req, res, 413, tooLargeReason(kind))
      },
    })
    req.pipe(counted)
    handler(withBody(req, counted), res, next)
  }
}

/**
 * The request as the handler sees it: everything of the original, but its body read from `body`. React Router's Express
 * adapter reads the body with the stream methods below; Node's own bookkeeping keeps using the original request.
 */
function withBody(req: Request, body: Transform): Request {
  const view = Object.create(req) as Request
  const methods = ['on', 'once', 'off', 'addListener', 'removeListener', 'prependListener', 'pause', 'resume', 'read', 'pipe', 'unpipe', 'destroy', Symbol.asyncIterator] as const
  for (const method of methods) Object.defineProperty(view, method, { value: (body[method] as (...args: unknown[]) => unknown).bind(body) })
  for (const property of ['readable', 'readableHighWaterMark', 'readableEnded', 'readableFlowing'] as const) {
    Object.defineProperty(view, property, { get: () => body[property] })
  }
  return view
}
