// The door for request bodies before React Router: a non-form body gets 415, a form is counted as it arrives and
// cut off with 413 past its limit.
import { Transform } from 'node:stream'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { BODY_LIMITS, BodyTooLarge, bodyKindOf, NOT_A_FORM, tooLargeReason } from '../form-body.server.ts'

/** time for a refused client to read the answer before its connection is dropped */
const HANG_UP_AFTER_MS = 2_000
/** what is still read of an unread body after the answer, to keep the connection for the next request */
const DRAIN_AT_MOST = 64 * 1024

/** Ends the connection after the answer, then drops it later, so the client reads the answer rather than a reset. */
function hangUp(req: Request) {
  const socket = req.socket
  socket.end()
  setTimeout(() => socket.destroy(), HANG_UP_AFTER_MS).unref()
}

/** After the answer, drains a small unread body so the connection serves the next request; closes it for a large one. */
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

/** Wraps React Router's handler so the body it reads is counted; past the limit it answers 413 at once. */
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

/** The original request with its body read from `body` (the stream methods React Router's adapter uses). */
function withBody(req: Request, body: Transform): Request {
  const view = Object.create(req) as Request
  const methods = ['on', 'once', 'off', 'addListener', 'removeListener', 'prependListener', 'pause', 'resume', 'read', 'pipe', 'unpipe', 'destroy', Symbol.asyncIterator] as const
  for (const method of methods) Object.defineProperty(view, method, { value: (body[method] as (...args: unknown[]) => unknown).bind(body) })
  for (const property of ['readable', 'readableHighWaterMark', 'readableEnded', 'readableFlowing'] as const) {
    Object.defineProperty(view, property, { get: () => body[property] })
  }
  return view
}
