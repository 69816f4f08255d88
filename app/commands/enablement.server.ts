// Enablement use cases: publishing assets (files stored content-addressed first), versions, retirement, partners' use of
// assets, courses and their assessments, enrolment, and attempts the course scores.
import { AssetDecider, streamId as assetStream, type AssetCommand } from '../../domain/assets/index.ts'
import { ValidationError } from '../../domain/shared/errors.ts'
import { CourseDecider, streamId as courseStream, type CourseCommand, type PublishCourse, type QuestionInput } from '../../domain/training/index.ts'
import type { AppServices } from '../services.server.ts'
import type { CommandCore, Issued } from './core.server.ts'
import { formatBytes } from '../format.ts'

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024
/** what may be uploaded, by extension; the content type is ours, never the browser's */
export const ALLOWED_UPLOADS: Record<string, string> = {
  pdf: 'application/pdf',
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}

/** checks an upload's size, extension and (for PDF and images) its first bytes; throws a ValidationError on the field */
export function checkUpload(filename: string, bytes: Uint8Array, field = 'file'): { filename: string; contentType: string } {
  const clean = filename.replace(/^.*[\\/]/, '').replace(/[^\w.\- ]+/g, '_').slice(0, 120) || 'file'
  if (bytes.byteLength === 0) throw new ValidationError('Choose a file to upload', field)
  if (bytes.byteLength > MAX_UPLOAD_BYTES) throw new ValidationError(`The file is ${formatBytes(bytes.byteLength)}; the limit is ${formatBytes(MAX_UPLOAD_BYTES)}`, field)
  const ext = clean.split('.').pop()?.toLowerCase() ?? ''
  const contentType = ALLOWED_UPLOADS[ext]
  if (!contentType) throw new ValidationError(`Upload a PDF, HTML, text, image or Office file (.${Object.keys(ALLOWED_UPLOADS).join(', .')})`, field)
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b)
  if (ext === 'pdf' && !starts(0x25, 0x50, 0x44, 0x46)) throw new ValidationError('This file is not a PDF', field)
  if (ext === 'png' && !starts(0x89, 0x50, 0x4e, 0x47)) throw new ValidationError('This file is not a PNG image', field)
  if ((ext === 'jpg' || ext === 'jpeg') && !starts(0xff, 0xd8)) throw new ValidationError('This file is not a JPEG image', field)
  if (['pptx', 'docx', 'xlsx'].includes(ext) && !starts(0x50, 0x4b)) throw new ValidationError('This file is not an Office document', field)
  return { filename: clean, contentType }
}

export type PublishAssetInput = {
  assetId: string
  title: string
  description: string
  tags: string[]
  audience: 'to_partner' | 'thru_partner'
  assetType: string
  product?: string
  language: string
  audienceRules: { minimumTier?: string; journeyPhases?: string[]; requiredCertification?: string; geographies?: string[] }
  coBrandable: boolean
  file: { filename: string; bytes: Uint8Array }
}

export type PublishCourseInput = PublishCourse['data']

export type UseAction = 'viewed' | 'downloaded' | 'cobranded' | 'shared'

export function createEnablementCommands(services: Pick<AppServices, 'files'>, commands: CommandCore) {
  const asset = (issued: Issued, assetId: string, command: Omit<AssetCommand, 'metadata'>) =>
    commands.run(AssetDecider, assetStream(assetId), { ...command, metadata: commands.metadata(issued) } as AssetCommand)
  const course = (issued: Issued, courseId: string, command: Omit<CourseCommand, 'metadata'>) =>
    commands.run(CourseDecider, courseStream(courseId), { ...command, metadata: commands.metadata(issued) } as CourseCommand)

  async function store(file: { filename: string; bytes: Uint8Array }, field = 'file') {
    const checked = checkUpload(file.filename, file.bytes, field)
    const stored = await services.files.put(file.bytes)
    return { sha256: stored.sha256, size: stored.size, filename: checked.filename, contentType: checked.contentType }
  }

  return {
    async publishAsset(issued: Issued, input: PublishAssetInput) {
      const file = await store(input.file)
      const { file: _bytes, ...data } = input
      return asset(issued, input.assetId, { type: 'PublishAsset', data: { ...data, assetType: data.assetType as never, file } })
    },
    async publishVersion(issued: Issued, assetId: string, upload: { filename: string; bytes: Uint8Array }, notes?: string) {
      const file = await store(upload)
      return asset(issued, assetId, { type: 'PublishAssetVersion', data: { assetId, file, ...(notes ? { notes } : {}) } })
    },
    retire: (issued: Issued, assetId: string, reason?: string) =>
      asset(issued, assetId, { type: 'RetireAsset', data: { assetId, ...(reason ? { reason } : {}) } }),
    recordUse: (issued: Issued, assetId: string, action: UseAction) =>
      asset(issued, assetId, { type: 'RecordAssetUse', data: { assetId, partnerId: issued.actor.organisationId, userId: issued.actor.userId, action } }),
    publishCourse: (issued: Issued, data: PublishCourseInput) =>
      course(issued, data.courseId, { type: 'PublishCourse', data }),
    /** a new version of the course's assessment (its first, for a course published without one) */
    reviseAssessment: (issued: Issued, courseId: string, assessment: { passMark?: number; questions: QuestionInput[] }) =>
      course(issued, courseId, { type: 'ReviseAssessment', data: { courseId, ...assessment } }),
    enrol: (issued: Issued, courseId: string) =>
      course(issued, courseId, { type: 'EnrolInCourse', data: { courseId, partnerId: issued.actor.organisationId, userId: issued.actor.userId } }),
    /** the learner's answers to the version they were shown; the course scores them against its pass mark */
    submitAssessment: (issued: Issued, courseId: string, assessmentVersion: number, answers: Record<string, string[]>) =>
      course(issued, courseId, { type: 'SubmitAssessment', data: { courseId, partnerId: issued.actor.organisationId, userId: issued.actor.userId, assessmentVersion, answers } }),
  }
}
export type EnablementCommands = ReturnType<typeof createEnablementCommands>
