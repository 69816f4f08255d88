// What a request body may be: an HTML form within the limits below, read as it streams so no limit waits for the
// whole body. The HTTP server applies the same rules at the door.
import {
  FormDataParseError, MaxFileSizeExceededError, MaxFilesExceededError, MaxHeaderSizeExceededError, MaxPartsExceededError,
  MaxTotalSizeExceededError, parseFormData,
} from '@remix-run/form-data-parser'

const MB = 1024 * 1024

/** the largest upload is a claim's evidence: 5 files of 10 MB each */
export const MAX_UPLOAD_FILES = 5
export const MAX_UPLOAD_FILE_BYTES = 10 * MB

/** fields in one form; so no list entry (`goals[3].target`) is past index MAX_PARTS - 1 */
const MAX_PARTS = 500

export const BODY_LIMITS = {
  /** a form of text fields: the longest legitimate one is a few kB */
  form: 1 * MB,
  /** the evidence files plus the form's fields and the multipart framing */
  multipart: MAX_UPLOAD_FILES * MAX_UPLOAD_FILE_BYTES + 2 * MB,
} as const

export type BodyKind = keyof typeof BODY_LIMITS

export const NOT_A_FORM =
  'Only HTML forms are accepted here: send the body as application/x-www-form-urlencoded or multipart/form-data with a boundary.'

export function tooLargeReason(kind: BodyKind) {
  return kind === 'form'
    ? 'The form is too large: at most 1 MB of text.'
    : `The upload is too large: at most ${MAX_UPLOAD_FILES} files of ${MAX_UPLOAD_FILE_BYTES / MB} MB each.`
}

/** The kind of form a Content-Type announces, or null; lower case only, as the parser recognises no other. */
export function bodyKindOf(contentType: string | null | undefined): BodyKind | null {
  if (!contentType) return null
  if (/^application\/x-www-form-urlencoded\s*(;|$)/.test(contentType)) return 'form'
  if (/^multipart\/form-data\s*;/.test(contentType) && /;\s*boundary=(?:"[^"]+"|[^\s;"]+)/i.test(contentType)) return 'multipart'
  return null
}

/** a body cut off at the door for passing its limit (app/server/input-boundary.server.ts) */
export class BodyTooLarge extends Error {
  constructor(readonly kind: BodyKind) {
    super(tooLargeReason(kind))
    this.name = 'BodyTooLarge'
  }
}

const refuse = (status: number, reason: string) => new Response(reason, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })

/** Reads a form as it streams in; throws a 415, 413 or 400 Response for a non-form, an oversized or a broken body. */
export async function readForm(request: Request): Promise<FormData> {
  const form = await parse(request)
  // Conform would build, send back and render a list as long as the largest index named (goals[100000].description)
  for (const name of form.keys()) {
    if ([...name.matchAll(/\[(\d+)\]/g)].some((entry) => Number(entry[1]) >= MAX_PARTS)) {
      throw refuse(400, `The form names a list entry past the ${MAX_PARTS}th: ${name.slice(0, 100)}`)
    }
  }
  return form
}

async function parse(request: Request): Promise<FormData> {
  const kind = bodyKindOf(request.headers.get('content-type'))
  if (!kind) throw refuse(415, NOT_A_FORM)
  try {
    return await parseFormData(request, {
      maxFiles: MAX_UPLOAD_FILES,
      maxFileSize: MAX_UPLOAD_FILE_BYTES,
      maxHeaderSize: 8 * 1024,
      maxParts: MAX_PARTS,
      // urlencoded: the raw body; multipart: the parts' contents (their headers are bounded by maxHeaderSize)
      maxTotalSize: kind === 'form' ? BODY_LIMITS.form : MAX_UPLOAD_FILES * MAX_UPLOAD_FILE_BYTES + 1 * MB,
    })
  } catch (error) {
    if (error instanceof MaxFilesExceededError) throw refuse(413, `Send at most ${MAX_UPLOAD_FILES} files at once.`)
    if (error instanceof MaxFileSizeExceededError) throw refuse(413, `Each file may be at most ${MAX_UPLOAD_FILE_BYTES / MB} MB.`)
    if (error instanceof MaxTotalSizeExceededError) throw refuse(413, tooLargeReason(kind))
    if (error instanceof MaxPartsExceededError) throw refuse(413, 'The form has too many fields: at most 500.')
    if (error instanceof MaxHeaderSizeExceededError) throw refuse(413, 'A part of the form has headers larger than 8 kB.')
    if (error instanceof BodyTooLarge || (error instanceof FormDataParseError && error.cause instanceof BodyTooLarge)) {
      throw refuse(413, tooLargeReason(kind))
    }
    if (error instanceof FormDataParseError) throw refuse(400, 'The form could not be read: its body is not well-formed.')
    // the parser decodes a multipart text field strictly, outside its own error wrapping
    if ((error as { code?: unknown } | null)?.code === 'ERR_ENCODING_INVALID_ENCODED_DATA') {
      throw refuse(400, 'The form could not be read: a field is not UTF-8 text.')
    }
    throw error
  }
}
