// Upload handling for asset forms: refuse oversized bodies before parsing (the form itself is read by readForm, the
// streaming parser in app/form-body.server.ts), and read a chosen file's bytes.
import type { SubmissionResult } from '@conform-to/react'
import { data } from 'react-router'
import { MAX_UPLOAD_BYTES } from '../../commands/enablement.server.ts'

/** a 413 reply for the form posting `intent` when the request exceeds the upload limit (before the body is read) */
export function tooLarge(request: Request, intent?: string) {
  const length = Number(request.headers.get('content-length') ?? 0)
  if (length <= MAX_UPLOAD_BYTES + 64 * 1024) return null
  const result: SubmissionResult<string[]> = {
    status: 'error',
    initialValue: intent ? { intent } : {},
    error: { file: ['The file is larger than 10 MB; compress it or split it'], '': ['The upload is too large.'] },
  }
  return data({ result }, { status: 413 })
}

/** the name and bytes of a file the form's schema accepted */
export async function bytesOf(file: File): Promise<{ filename: string; bytes: Uint8Array }> {
  return { filename: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }
}
