// readForm: only forms, read as they stream within the limits, each refusal an HTTP answer with its reason.
import { describe, expect, test } from 'vitest'
import { bodyKindOf, readForm } from '../../app/form-body.server.ts'

const MB = 1024 * 1024

function post(body: BodyInit | ReadableStream<Uint8Array>, contentType?: string) {
  return new Request('http://localhost/x', {
    method: 'POST', body, headers: contentType ? { 'Content-Type': contentType } : {}, duplex: 'half',
  } as RequestInit)
}

/** a multipart body with the given text fields and files, as a browser sends it */
function multipart(fields: Record<string, string>, files: { name: string; filename: string; bytes: Uint8Array }[]) {
  const form = new FormData()
  for (const [k, v] of Object.entries(fields)) form.append(k, v)
  for (const f of files) form.append(f.name, new File([f.bytes as BlobPart], f.filename, { type: 'application/pdf' }))
  return new Request('http://localhost/x', { method: 'POST', body: form })
}

async function refusal(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    if (error instanceof Response) return { status: error.status, reason: await error.text() }
    throw error
  }
  throw new Error('the form was read')
}

/** a body that sends `total` bytes in 64 kB chunks and counts how many were pulled from it */
function counting(total: number, first = '') {
  let pulled = 0
  const block = new Uint8Array(64 * 1024).fill(97)
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= total) return controller.close()
      const chunk = pulled === 0 && first ? new Uint8Array([...new TextEncoder().encode(first), ...block]) : block
      pulled += chunk.length
      controller.enqueue(chunk)
    },
  })
  return { stream, pulled: () => pulled }
}

describe('which bodies are forms', () => {
  test.each([
    ['application/x-www-form-urlencoded', 'form'],
    ['application/x-www-form-urlencoded;charset=UTF-8', 'form'],
    ['multipart/form-data; boundary=----x', 'multipart'],
    ['multipart/form-data; boundary="a b"', 'multipart'],
    ['multipart/form-data', null],
    ['multipart/mixed; boundary=x', null],
    ['application/json', null],
    ['text/plain', null],
    ['application/xml', null],
    ['application/x-www-form-urlencodedx', null],
    ['', null],
    [null, null],
  ])('%s is %s', (type, kind) => {
    expect(bodyKindOf(type)).toBe(kind)
  })
})

describe('readForm', () => {
  test('reads text fields of both kinds, and files as File values', async () => {
    const text = await readForm(post(new URLSearchParams({ a: '1', b: 'two words' }), 'application/x-www-form-urlencoded'))
    expect(Object.fromEntries(text)).toEqual({ a: '1', b: 'two words' })
    const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 1, 2, 3])
    const form = await readForm(multipart({ csrf: 't' }, [{ name: 'evidence', filename: 'invoice.pdf', bytes }, { name: 'evidence', filename: 'b.pdf', bytes }]))
    expect(form.get('csrf')).toBe('t')
    const files = form.getAll('evidence')
    expect(files).toHaveLength(2)
    const file = files[0] as File
    expect(file).toBeInstanceOf(File)
    expect(file.name).toBe('invoice.pdf')
    expect(file.size).toBe(bytes.length)
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes)
  })

  test.each([['application/json', '{"a":1}'], ['text/plain', 'a=1'], ['application/xml', '<a/>'], [undefined, 'a=1'], ['multipart/form-data', 'a=1']])(
    'refuses %s with 415 and a reason',
    async (type, body) => {
      const { status, reason } = await refusal(readForm(post(body, type)))
      expect(status).toBe(415)
      expect(reason).toMatch(/application\/x-www-form-urlencoded or multipart\/form-data/)
    },
  )

  test('a urlencoded body over 1 MB is refused with 413 after reading little more than the limit', async () => {
    const body = counting(120 * MB, 'a=')
    const { status, reason } = await refusal(readForm(post(body.stream, 'application/x-www-form-urlencoded')))
    expect(status).toBe(413)
    expect(reason).toMatch(/at most 1 MB/)
    expect(body.pulled()).toBeLessThan(2 * MB)
  })

  test('a file over 10 MB, more than 5 files, too many fields: 413 with the limit', async () => {
    const big = await refusal(readForm(multipart({}, [{ name: 'evidence', filename: 'big.pdf', bytes: new Uint8Array(10 * MB + 1) }])))
    expect(big).toEqual({ status: 413, reason: 'Each file may be at most 10 MB.' })
    const six = Array.from({ length: 6 }, (_, i) => ({ name: 'evidence', filename: `${i}.pdf`, bytes: new Uint8Array(10) }))
    expect(await refusal(readForm(multipart({}, six)))).toEqual({ status: 413, reason: 'Send at most 5 files at once.' })
    const fields = new URLSearchParams(Array.from({ length: 501 }, (_, i) => [`f${i}`, 'x']))
    expect((await refusal(readForm(post(fields, 'application/x-www-form-urlencoded')))).status).toBe(413)
  })

  test('five files of 10 MB, the largest legitimate upload, are read', async () => {
    const files = Array.from({ length: 5 }, (_, i) => ({ name: 'evidence', filename: `${i}.pdf`, bytes: new Uint8Array(10 * MB) }))
    const form = await readForm(multipart({ csrf: 't' }, files))
    expect(form.getAll('evidence').map((f) => (f as File).size)).toEqual(Array(5).fill(10 * MB))
  })

  test('a multipart text field that is not UTF-8 is a 400, not a 500', async () => {
    const body = new Uint8Array([
      ...new TextEncoder().encode('--b\r\nContent-Disposition: form-data; name="intent"\r\n\r\n'), 0xff, 0xfe, 0x41,
      ...new TextEncoder().encode('\r\n--b--\r\n'),
    ])
    expect(await refusal(readForm(post(body, 'multipart/form-data; boundary=b')))).toEqual({ status: 400, reason: 'The form could not be read: a field is not UTF-8 text.' })
  })

  test('a malformed multipart body is a 400', async () => {
    const cut = '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue-without-end'
    expect((await refusal(readForm(post(cut, 'multipart/form-data; boundary=b')))).status).toBe(400)
    expect((await refusal(readForm(post('no boundary anywhere', 'multipart/form-data; boundary=b')))).status).toBe(400)
  })
})
