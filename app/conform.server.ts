// Conform on the server: a refused command becomes the submission's reply (field errors under the field the domain
// named, or a form error) with the HTTP status of the error: 400, the domain error's own, 409 for a concurrent write.
import type { Submission, SubmissionResult } from '@conform-to/react'
import { data } from 'react-router'
import { DomainError, ValidationError } from '../domain/shared/errors.ts'
import { InvalidEvent, WrongExpectedVersion } from '../eventstore/errors.ts'

/** a command's field path as Conform names the field: items.0.sku -> items[0].sku */
export const conformName = (path: string) => path.replace(/\.(\d+)(?=\.|$)/g, '[$1]')

/** fields never sent back to the browser: passwords stay where they were typed */
export type ReplyOptions = { hideFields?: string[] }

/** the reply of a submission that did not parse (or was an intent such as adding a row): 400 for errors, else 200 */
export function replyInvalid(submission: Submission<unknown>, options: ReplyOptions = {}) {
  return data({ result: submission.reply({ hideFields: options.hideFields }) }, { status: submission.status === 'error' ? 400 : 200 })
}

/** Turns a refused command into the submission's reply and status; anything unexpected is rethrown. */
export function replyRefused(submission: Submission<unknown>, error: unknown, options: ReplyOptions = {}): ReturnType<typeof data<{ result: SubmissionResult<string[]> }>> {
  const reply = (formErrors: string[], fieldErrors: Record<string, string[]> = {}, status = 400) =>
    data({ result: submission.reply({ formErrors, fieldErrors, hideFields: options.hideFields }) }, { status })
  if (error instanceof ValidationError) {
    const message = error.message.replace(/^[\w.]+: /, '')
    return error.field ? reply(['Check the highlighted fields.'], { [conformName(error.field)]: [message] }) : reply([error.message])
  }
  if (error instanceof DomainError) return reply([error.message], {}, error.status)
  if (error instanceof WrongExpectedVersion) return reply(['Someone else changed this at the same moment. Reload the page and try again.'], {}, 409)
  if (error instanceof InvalidEvent) return reply([error.message])
  throw error
}
