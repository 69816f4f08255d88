// Upload handling for asset forms: refuse oversized bodies before parsing, and read the chosen file's bytes.
import { data } from 'react-router'
import { MAX_UPLOAD_BYTES } from '../../commands/enablement.server.ts'
import type { FormResult } from '../../forms.server.ts'

/** a 413 form error when the request is larger than the upload limit (checked before the body is read) */
export function tooLarge(request: Request) {
  const length = Number(request.headers.get('content-length') ?? 0)
  if (length <= MAX_UPLOAD_BYTES + 64 * 1024) return null
  const result: FormResult = { fieldErrors: { file: 'The file is larger than 10 MB; compress it or split it' }, formError: 'The upload is too large.', values: {} }
  return data({ result }, { status: 413 })
}

export async function fileOf(form: FormData, name = 'file'): Promise<{ filename: string; bytes: Uint8Array } | null> {
  const value = form.get(name)
  if (!value || typeof value === 'string' || value.size === 0) return null
  return { filename: value.name, bytes: new Uint8Array(await value.arrayBuffer()) }
}
