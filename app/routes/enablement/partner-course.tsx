// Partner: one course: enrol, answer its assessment (the questions without the answer key), the result the server
// scored, and the certificate a pass earned. A learner sends answers only; a score of their own is never read.
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, useActionData, useLoaderData } from 'react-router'
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import type { Route } from './+types/partner-course'
import { parseParams, RouteId } from '../../params.server.ts'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { resultFor } from '../../components/schema-form.tsx'
import { CsrfInput } from '../../components/shell.tsx'
import { Badge, DateText, FormError, PageHeader } from '../../components/ui.tsx'
import { countOf, formatDate, isoDay } from '../../format.ts'
import { createTrainingQueries } from '../../queries/training.server.ts'
import { courseOr404, enablementQueries } from './common.server.ts'
import { AttemptResult, CertificateBadge, type AttemptView } from './training-ui.tsx'

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.course.title ?? 'Course'} · Training · Partnerlog` }]

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const ids = parseParams({ courseId: RouteId }, params, 'No course with this id.')
  const { services } = context
  const user = await requireUser(request, services, 'training:take')
  const found = await courseOr404(services, ids.courseId)
  const training = createTrainingQueries(services.sql)
  const [mine, assessment] = await Promise.all([
    enablementQueries(services).trainingOf(user.organisationId).then((t) => t?.learners[user.userId] ?? null),
    training.assessmentForLearner(found.courseId),
  ])
  const enrolment = mine?.courses[found.courseId] ?? null
  const last = enrolment?.lastAttempt ?? null
  const attempt: AttemptView | null = last
    ? {
        score: last.score, correct: last.correct, questions: last.questions, passed: last.passed, at: last.at, attempts: enrolment?.attempts ?? 1,
        ...(await training.resultOf(found.courseId, last, found.passMark)),
      }
    : null
  return {
    // named fields only: what reaches the browser is chosen here (the answer key never does)
    course: { courseId: found.courseId, title: found.title, description: found.description, certification: found.certification, passMark: found.passMark },
    mine: enrolment ? { status: enrolment.status, completedOn: enrolment.completedOn, score: enrolment.score } : null,
    attempt,
    // the questions only while enrolled: that is when they can be answered
    assessment: enrolment?.status === 'Enrolled' ? assessment : null,
    assessmentSize: assessment?.questions.length ?? null,
    certificate: mine?.certificates[found.courseId] ?? null,
    commandId: randomUUID(),
    today: isoDay(services.clock()),
  }
}

const EnrolForm = z.object({ intent: z.literal('enrol') })
/** what a learner may send: the version they were shown and their answers (a score field, if any, is not read) */
const SubmitForm = z.object({
  intent: z.literal('submit'),
  commandId: z.uuid(),
  assessmentVersion: z.coerce.number().int().positive(),
  answers: z.record(z.string(), z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]))).default({}),
})
const Intent = z.discriminatedUnion('intent', [EnrolForm, SubmitForm])

export async function action({ request, context, params }: Route.ActionArgs) {
  const ids = parseParams({ courseId: RouteId }, params, 'No course with this id.')
  const { services } = context
  const { user, form } = await requireAction(request, services, 'training:take')
  const found = await courseOr404(services, ids.courseId)
  const submission = parseWithZod(form, { schema: Intent })
  if (submission.status !== 'success') return replyInvalid(submission)
  const commands = services.commands.enablement
  const to = `/partner/training/${found.courseId}`
  try {
    if (submission.value.intent === 'enrol') {
      await commands.enrol({ actor: toActor(user) }, found.courseId)
      return redirectWithToast(request, services, to, `Enrolled in ${found.title}.`)
    }
    const { commandId, assessmentVersion, answers } = submission.value
    const result = await commands.submitAssessment({ actor: toActor(user), commandId }, found.courseId, assessmentVersion, answers)
    const taken = result.events.find((e) => e.type === 'AssessmentTaken')?.data as { score: number; passed: boolean } | undefined
    const earned = result.events.find((e) => e.type === 'CertificationEarned')?.data as { validUntil: string } | undefined
    // a repeated submission (same command id) answers with the attempt recorded the first time
    if (!taken) throw new Error('A scored attempt records AssessmentTaken')
    if (earned) return redirectWithToast(request, services, `${to}#result`, `Passed with ${taken.score} %: you are certified ${found.certification?.name} until ${formatDate(earned.validUntil)}.`)
    if (taken.passed) return redirectWithToast(request, services, `${to}#result`, `Passed with ${taken.score} %.`)
    return redirectWithToast(request, services, `${to}#result`, `${taken.score} % is below the pass mark; see which questions to revisit, then retake it.`, 'info')
  } catch (error) {
    return replyRefused(submission, error)
  }
}

function Enrol({ label, className = 'btn-primary' }: { label: string; className?: string }) {
  return (
    <Form method="post">
      <CsrfInput />
      <input type="hidden" name="intent" value="enrol" />
      <button type="submit" className={className}>{label}</button>
    </Form>
  )
}

export default function Course() {
  const { course, mine, attempt, assessment, assessmentSize, certificate, commandId, today } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const submitted = resultFor(actionData, 'submit')
  const given = (submitted?.initialValue as { answers?: Record<string, string | string[]> } | undefined)?.answers ?? {}
  const chosen = (questionId: string) => [given[questionId] ?? []].flat()
  const enrolled = mine?.status === 'Enrolled'
  const available = assessmentSize !== null
  return (
    <div className="max-w-4xl space-y-6">
      <PageHeader title={course.title} description={course.description} breadcrumbs={[{ to: '/partner/training', label: 'Training' }]}
        actions={certificate ? <CertificateBadge validUntil={certificate.validUntil} lapsed={certificate.lapsed} today={today} /> : enrolled ? <Badge tone="amber">Enrolled</Badge> : null} />
      <FormError message={resultFor(actionData, 'enrol')?.error?.['']?.[0]} />
      {attempt && !enrolled ? <AttemptResult attempt={attempt} retake={available ? <Enrol label={attempt.passed ? 'Retake to renew' : 'Retake the assessment'} className={attempt.passed ? 'btn-secondary' : 'btn-primary'} /> : null} /> : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <section className="card p-4 sm:p-5 lg:col-span-2" aria-labelledby="facts">
          <h2 id="facts" className="text-sm font-semibold text-gray-900">Course</h2>
          <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-6 gap-y-3 text-sm">
            <dt className="text-gray-600">Certification</dt><dd>{course.certification ? `${course.certification.name}, valid ${course.certification.validityMonths} months` : 'None'}</dd>
            <dt className="text-gray-600">Assessment</dt><dd>{assessmentSize !== null ? `${countOf(assessmentSize, 'question')} · pass mark ${course.passMark} %` : 'Not yet available'}</dd>
            <dt className="text-gray-600">Your status</dt><dd>{mine ? mine.status === 'Failed' ? 'Not passed' : mine.status : 'Not enrolled'}</dd>
            {mine?.completedOn ? <><dt className="text-gray-600">Last completed</dt><dd><DateText iso={mine.completedOn} /> · {mine.score} %{attempt ? null : ' (score recorded before assessments)'}</dd></> : null}
          </dl>
          {certificate ? (
            <div className="mt-5 rounded-lg border-2 border-brand-200 bg-brand-50 p-5 text-center" aria-label="Certificate">
              <p className="text-xs font-semibold tracking-wider text-brand-800 uppercase">Certificate</p>
              <p className="mt-1 text-xl font-semibold text-gray-900">{certificate.certification}</p>
              <p className="mt-1 text-sm text-gray-700">Earned <DateText iso={certificate.earnedOn} /> · valid until <strong><DateText iso={certificate.validUntil} /></strong></p>
            </div>
          ) : null}
        </section>
        <section className="card space-y-3 p-4 sm:p-5" aria-labelledby="next">
          <h2 id="next" className="text-sm font-semibold text-gray-900">Next step</h2>
          {!available ? (
            <div role="status" className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200">
              <p className="font-medium">Assessment not yet available</p>
              <p className="mt-1">The vendor has not published this course's questions yet. You can take it here as soon as they do.</p>
            </div>
          ) : enrolled ? (
            <p className="text-sm text-gray-700">Answer the {countOf(assessmentSize ?? 0, 'question')} below and submit: the portal scores your answers against the {course.passMark} % pass mark.</p>
          ) : attempt ? (
            <p className="text-sm text-gray-700">{attempt.passed ? 'Retake the assessment at any time to renew your certificate.' : 'Retake the assessment when you are ready: there is no limit on attempts.'}</p>
          ) : (
            <>
              <p className="text-sm text-gray-700">{certificate ? 'Take the assessment again to renew your certificate.' : `Enrol to take the assessment: ${countOf(assessmentSize ?? 0, 'question')}, ${course.passMark} % to pass.`}</p>
              <Enrol label={certificate ? 'Enrol to renew' : 'Enrol'} className="btn-primary w-full" />
            </>
          )}
        </section>
      </div>
      {assessment ? (
        <Form method="post" noValidate className="card space-y-6 p-4 sm:p-6" aria-labelledby="assessment-title">
          <div>
            <h2 id="assessment-title" className="text-base font-semibold text-gray-900">Assessment</h2>
            <p className="mt-1 text-sm text-gray-600">Answer every question. Where it says “choose all that apply”, a question counts only when you tick exactly the right choices.</p>
          </div>
          <CsrfInput />
          <input type="hidden" name="intent" value="submit" />
          <input type="hidden" name="commandId" value={commandId} />
          <input type="hidden" name="assessmentVersion" value={assessment.version} />
          <FormError message={submitted?.error?.['']?.[0]} />
          <ol className="space-y-6">
            {assessment.questions.map((q, i) => {
              const name = `answers.${q.questionId}`
              const error = submitted?.error?.[name]?.[0]
              const errorId = `answer-${q.questionId}-error`
              return (
                <li key={q.questionId}>
                  <fieldset aria-describedby={error ? errorId : undefined} aria-invalid={error ? true : undefined}>
                    <legend className="text-sm font-medium text-gray-900">
                      <span className="mr-1 tabular-nums text-gray-600">{i + 1}.</span> {q.text}
                      <span className="ml-1 font-normal text-gray-600">{q.kind === 'multiple' ? '(choose all that apply)' : '(choose one)'}</span>
                    </legend>
                    <div className="mt-2 space-y-1.5">
                      {q.choices.map((c) => (
                        <label key={c.choiceId} className="flex cursor-pointer items-start gap-3 rounded-md px-3 py-2 text-sm text-gray-800 ring-1 ring-gray-200 hover:bg-gray-50 has-[:checked]:bg-brand-50 has-[:checked]:ring-brand-300">
                          <input type={q.kind === 'multiple' ? 'checkbox' : 'radio'} name={name} value={c.choiceId} defaultChecked={chosen(q.questionId).includes(c.choiceId)} className="mt-0.5 h-4 w-4 shrink-0 border-gray-300" />
                          <span className="min-w-0">{c.text}</span>
                        </label>
                      ))}
                    </div>
                    {error ? <p id={errorId} className="mt-1 text-sm text-red-700">{error}</p> : null}
                  </fieldset>
                </li>
              )
            })}
          </ol>
          <div className="flex flex-wrap items-center justify-end gap-3 border-t border-gray-100 pt-4">
            <p className="min-w-0 flex-1 basis-48 text-xs text-gray-600">Your answers are scored when you submit; the result shows which questions to revisit.</p>
            <button type="submit" className="btn-primary">Submit answers</button>
          </div>
        </Form>
      ) : null}
    </div>
  )
}
