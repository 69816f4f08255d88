// The door for request bodies in front of React Router: bodies that are not forms are refused, forms are counted as they
// arrive and cut off past their limit, and a body nobody reads is not read to its end either.
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { createReadableStreamFromReadable } from '@react-router/node'
import express from 'express'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readForm } from '../../../app/form-body.server.ts'
import { formBodiesOnly } from '../../../app/server/input-boundary.server.ts'

const MB = 1024 * 1024
let server: Server
let port: number
const outcomes: string[] = []

beforeAll(async () => {
  const app = express()
  // what React Router's Express adapter does with a request: a web Request whose body is read from the Node request
  app.use(
    formBodiesOnly(async (req, res) => {
      if (req.path === '/ignores-body') {
        res.status(403).type('text/plain').send('Not allowed.')
        return
      }
      if (req.path === '/reads-raw') {
        // a reader without limits of its own: only the door stops it
        let bytes = 0
        try {
          const reader = createReadableStreamFromReadable(req).getReader()
          for (let read = await reader.read(); !read.done; read = await reader.read()) bytes += read.value.length
          outcomes.push(`read ${bytes} bytes`)
        } catch {
          outcomes.push(`failed after ${bytes} bytes`)
        }
        if (!res.headersSent) res.status(200).send('read')
        return
      }
      const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : createReadableStreamFromReadable(req)
      const request = new Request(`http://localhost${req.originalUrl}`, { method: req.method, headers: req.headers as Record<string, string>, body, duplex: 'half' } as RequestInit)
      try {
        const form = request.method === 'GET' ? new FormData() : await readForm(request)
        outcomes.push(`read ${[...form.keys()].join(',')}`)
        if (!res.headersSent) res.status(200).type('text/plain').send(`fields: ${[...form.keys()].join(',')}`)
      } catch (error) {
        if (!(error instanceof Response)) throw error
        outcomes.push(`refused ${error.status}`)
        if (!res.headersSent) res.status(error.status).type('text/plain').send(await error.text())
      }
    }),
  )
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s))
  })
  port = (server.address() as AddressInfo).port
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((r) => server.close(r))
})

/** sends a chunked body as fast as the server takes it; counts what was written until the server answers or closes */
function sendChunked(path: string, contentType: string, total: number, first: Buffer, block: Buffer) {
  return new Promise<{ status: number | null; written: number; closed: boolean }>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    let head = ''
    let written = 0
    let status: number | null = null
    let settled = false
    const settle = (closed: boolean) => {
      if (settled) return
      settled = true
      resolve({ status, written, closed })
    }
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1')
      const found = /^HTTP\/1\.1 (\d{3})/.exec(head)
      if (found) status = Number(found[1])
    })
    // the answer is in when the server ends the connection (it must: the body was not read to its end)
    socket.on('close', () => settle(true))
    socket.on('error', (error: NodeJS.ErrnoException) => (['ECONNRESET', 'EPIPE'].includes(error.code ?? '') ? undefined : reject(error)))
    socket.on('connect', async () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: ${contentType}\r\nTransfer-Encoding: chunked\r\n\r\n`)
      for (let i = 0; written < total && !socket.destroyed && status === null; i++) {
        const data = i === 0 ? Buffer.concat([first, block]) : block
        const more = socket.write(Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]))
        written += data.length
        if (!more) await new Promise((r) => { socket.once('drain', r); socket.once('close', r) })
      }
      if (!socket.destroyed && status === null) socket.end('0\r\n\r\n')
    })
  })
}

describe('bodies that are not forms', () => {
  test.each([['application/json', '{}'], ['text/plain', 'a=1'], ['application/xml', '<a/>'], ['multipart/form-data', 'a=1']])(
    '%s is refused with 415 before the handler reads anything',
    async (type, body) => {
      outcomes.length = 0
      const response = await fetch(`http://127.0.0.1:${port}/x`, { method: 'POST', headers: { 'Content-Type': type }, body })
      expect(response.status).toBe(415)
      expect(await response.text()).toMatch(/Only HTML forms are accepted/)
      expect(outcomes).toEqual([])
    },
  )

  test('a small refused body is read and dropped: the connection serves the next request', async () => {
    const statuses = await new Promise<number[]>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1')
      const request = (type: string) => `POST /x HTTP/1.1\r\nHost: localhost\r\nContent-Type: ${type}\r\nContent-Length: 7\r\n\r\na=1&b=2`
      const order = ['application/json', 'application/x-www-form-urlencoded', 'text/plain']
      let text = ''
      let sent = 0
      const next = () => socket.write(request(order[sent++]!))
      socket.on('data', (chunk) => {
        text += chunk.toString()
        const answers = [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => Number(m[1]))
        // each answer is short and ends with its body; the next request goes on the same connection
        if (answers.length === sent && sent < order.length) setTimeout(next, 20)
        if (answers.length === order.length) {
          socket.end()
          resolve(answers)
        }
      })
      socket.on('close', () => reject(new Error(`closed after: ${text}`)))
      socket.on('connect', next)
    })
    expect(statuses).toEqual([415, 200, 415])
  })

  test('a body without a content type is refused with 415', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/x`, { method: 'POST', body: new Uint8Array([97, 61, 49]) })
    expect(response.status).toBe(415)
  })

  test('forms and GET requests go through', async () => {
    const form = await fetch(`http://127.0.0.1:${port}/x`, { method: 'POST', body: new URLSearchParams({ a: '1', b: '2' }) })
    expect(await form.text()).toBe('fields: a,b')
    const multipart = new FormData()
    multipart.set('file', new File(['%PDF-'], 'a.pdf'))
    expect(await (await fetch(`http://127.0.0.1:${port}/x`, { method: 'POST', body: multipart })).text()).toBe('fields: file')
    expect((await fetch(`http://127.0.0.1:${port}/x`)).status).toBe(200)
  })
})

describe('limits while the body streams', () => {
  test('a chunked 120 MB form is answered 413 and cut off after a few MB; the handler never gets the form', async () => {
    outcomes.length = 0
    const result = await sendChunked('/x', 'application/x-www-form-urlencoded', 120 * MB, Buffer.from('a='), Buffer.alloc(64 * 1024, 'a'))
    expect(result.status).toBe(413)
    expect(result.closed).toBe(true)
    // the limit is 1 MB; the sockets' buffers hold a few MB more at most
    expect(result.written).toBeLessThan(16 * MB)
    expect(outcomes.every((o) => o === 'refused 413')).toBe(true)
  })

  const fileHead = Buffer.from('--b\r\nContent-Disposition: form-data; name="evidence"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n')

  test('a chunked multipart file past 10 MB is answered 413 by the parser and cut off', async () => {
    const result = await sendChunked('/x', 'multipart/form-data; boundary=b', 200 * MB, fileHead, Buffer.alloc(256 * 1024, 'b'))
    expect(result.status).toBe(413)
    expect(result.written).toBeLessThan(16 * MB)
  })

  test('a chunked multipart body past 52 MB is cut off at the door even for a reader without limits', async () => {
    outcomes.length = 0
    const result = await sendChunked('/reads-raw', 'multipart/form-data; boundary=b', 200 * MB, fileHead, Buffer.alloc(256 * 1024, 'b'))
    expect(result.status).toBe(413)
    expect(result.written).toBeLessThan(70 * MB)
    expect(outcomes).toHaveLength(1)
    expect(outcomes[0]).toMatch(/^failed after \d+ bytes$/)
    expect(Number(outcomes[0]!.split(' ')[2])).toBeLessThanOrEqual(52 * MB + 2 * MB)
  })

  test('a body the handler does not read is not read to its end: the connection is closed after the answer', async () => {
    const result = await sendChunked('/ignores-body', 'application/x-www-form-urlencoded', 120 * MB, Buffer.from('a='), Buffer.alloc(64 * 1024, 'a'))
    expect(result.status).toBe(403)
    expect(result.closed).toBe(true)
    expect(result.written).toBeLessThan(16 * MB)
  })

  test('a stated length over the limit is refused before anything is read', async () => {
    const response = await new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write(`POST /x HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${2 * MB}\r\n\r\n`))
      let text = ''
      socket.on('data', (c) => (text += c.toString()))
      socket.on('close', () => resolve(text))
    })
    expect(response).toMatch(/^HTTP\/1\.1 413/)
    expect(response).toMatch(/at most 1 MB/)
  })
})
