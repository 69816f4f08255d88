// Content-addressed file storage on disk: a file's name is the sha256 of its bytes, so the event carries the hash.
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'

export type StoredFile = { sha256: string; size: number }

export function createFileStore(root: string) {
  const pathOf = (sha256: string) => {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('Not a sha256 hash')
    return path.join(root, sha256.slice(0, 2), sha256)
  }
  return {
    async put(bytes: Uint8Array): Promise<StoredFile> {
      const sha256 = createHash('sha256').update(bytes).digest('hex')
      const target = pathOf(sha256)
      await fs.mkdir(path.dirname(target), { recursive: true })
      const temp = `${target}.${process.pid}.${Date.now()}.tmp`
      await fs.writeFile(temp, bytes)
      await fs.rename(temp, target) // atomic: a reader never sees a half-written file
      return { sha256, size: bytes.byteLength }
    },
    async get(sha256: string): Promise<Buffer | null> {
      try {
        return await fs.readFile(pathOf(sha256))
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw error
      }
    },
    async has(sha256: string) {
      return (await this.get(sha256)) !== null
    },
  }
}
export type FileStore = ReturnType<typeof createFileStore>
