// Proof-of-performance uploads: type and size limits checked on the bytes, then stored content-addressed.
import type { FileRef } from '../../../domain/shared/schemas.ts'
import type { FileStore } from '../../files.server.ts'

import { ATTACH_EVIDENCE, MAX_FILE_BYTES, MAX_FILES } from './components.tsx'
import { formatBytes } from '../../format.ts'

/** the type a file's bytes show it to be (the browser's claim is not trusted) */
function sniff(bytes: Uint8Array, filename: string): string | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b)
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf'
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png'
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg'
  if (/\.csv$/i.test(filename) && !bytes.subarray(0, 8192).includes(0)) return 'text/csv'
  return null
}

export type EvidenceResult = { ok: true; files: FileRef[] } | { ok: false; error: string }

export async function storeEvidence(files: FileStore, entries: FormDataEntryValue[]): Promise<EvidenceResult> {
  const uploads = entries.filter((e): e is File => typeof e !== 'string' && e.size > 0)
  if (uploads.length === 0) return { ok: false, error: ATTACH_EVIDENCE }
  if (uploads.length > MAX_FILES) return { ok: false, error: `Attach at most ${MAX_FILES} files; you chose ${uploads.length}` }
  const checked: { file: File; bytes: Uint8Array; type: string }[] = []
  for (const file of uploads) {
    if (file.size > MAX_FILE_BYTES) return { ok: false, error: `${file.name} is ${formatBytes(file.size)}; each file may be at most ${formatBytes(MAX_FILE_BYTES)}` }
    const bytes = new Uint8Array(await file.arrayBuffer())
    const type = sniff(bytes, file.name)
    if (!type) return { ok: false, error: `${file.name} is not a PDF, PNG, JPEG or CSV file` }
    checked.push({ file, bytes, type })
  }
  const refs: FileRef[] = []
  for (const { file, bytes, type } of checked) {
    const stored = await files.put(bytes)
    refs.push({ sha256: stored.sha256, filename: file.name.replace(/[\\/\r\n"]/g, '_').slice(0, 200) || 'evidence', size: stored.size, contentType: type })
  }
  return { ok: true, files: refs }
}
