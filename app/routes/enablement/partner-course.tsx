// Partner: one course: enrol, record the final assessment's score, the certificate it earned.
import { getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/partner-course'
import { parseParams, RouteId } from '../../params.server.ts'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { ConformField, conformInput } from '../../components/form-field.tsx'
import { FormHead, resultFor, useSchemaForm } from '../../components/schema-form.tsx'
import { CsrfInput } from '../../components/shell.tsx'
import { Badge, DateText, FormError, PageHeader } from '../../components/ui.tsx'
import { CompleteCourseData } from '../../../domain/training/decide.ts'
import { formNumber } from '../../forms.ts'
import { enablementQueries } from './common.server.ts'
import { CertificateBadge } from './training-ui.tsx'

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.course.title ?? 'Course'} · Training · Partnerlog` }]

async function course(services: Route.LoaderArgs['context']['services'], courseId: string) {
  const found = await enablementQueries(services).course(courseId)
  if (!found) throw data('No course with this id.', { status: 404 })
  return found
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const ids = parseParams({ courseId: RouteId }, params, 'No course with this id.')
  const { services } = context
  const user = await requireUser(request, services, 'training:take')
  const found = await course(services, ids.courseId)
  const training = await enablementQueries(services).trainingOf(user.organisationId)
  const me = training?.learners[user.userId]
  return { course: found, mine: me?.courses[found.courseId] ?? null, certificate: me?.certificates[found.courseId] ?? null, passMark: found.passMark, today: services.clock().toISOString().slice(0, 10) }
}

const EnrolForm = z.object({ intent: z.literal('enrol') })
/** the completion form's schema, shared by the browser and the action */
const CompleteForm = z.object({ intent: z.literal('complete'), score: formNumber('your score', CompleteCourseData.shape.score) })
const Intent = z.discriminatedUnion('intent', [EnrolForm, CompleteForm])

export async function action({ request, context, params }: Route.ActionArgs) {
  const ids = parseParams({ courseId: RouteId }, params, 'No course with this id.')
  const { services } = context
  const { user, form } = await requireAction(request, services, 'training:take')
  const found = await course(services, ids.courseId)
  const submission = parseWithZod(form, { schema: Intent })
  if (submission.status !== 'success') return replyInvalid(submission)
  const commands = services.commands.enablement
  const issued = { actor: toActor(user) }
  const to = `/partner/training/${found.courseId}`
  try {
    if (submission.value.intent === 'enrol') {
      await commands.enrol(issued, found.courseId)
      return redirectWithToast(request, services, to, `Enrolled in ${found.title}.`)
    }
    const score = submission.value.score
    const result = await commands.complete(issued, found.courseId, score)
    const earned = result.events.find((e) => e.type === 'CertificationEarned')?.data as { validUntil?: string } | undefined
    if (earned?.validUntil) return redirectWithToast(request, services, to, `Passed with ${score} %: you are certified ${found.certification?.name} until ${earned.validUntil}.`)
    const passed = (result.events.find((e) => e.type === 'CourseCompleted')?.data as { passed?: boolean } | undefined)?.passed === true
    return redirectWithToast(request, services, to, passed ? `${found.title} completed with ${score} %.` : `${score} % is below the pass mark; enrol again to retake it.`, passed ? 'success' : 'info')
  } catch (error) {
    return replyRefused(submission, error)
  }
}

export default function Course() {
  const { course, mine, certificate, passMark, today } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [completion, fields] = useSchemaForm({ id: 'complete-course', schema: CompleteForm, lastResult: resultFor(actionData, 'complete') })
  const enrolled = mine?.status === 'Enrolled'
  return (
    <div className="max-w-4xl">
      <PageHeader title={course.title} description={course.description} breadcrumbs={[{ to: '/partner/training', label: 'Training' }]}
        actions={certificate ? <CertificateBadge validUntil={certificate.validUntil} lapsed={certificate.lapsed} today={today} /> : enrolled ? <Badge tone="amber">Enrolled</Badge> : null} />
      <FormError message={resultFor(actionData, 'enrol')?.error?.['']?.[0]} />
      <div className="mt-4 grid gap-6 lg:grid-cols-3">
        <section className="card p-5 lg:col-span-2" aria-labelledby="facts">
          <h2 id="facts" className="text-sm font-semibold text-gray-900">Course</h2>
          <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-3 text-sm">
            <dt className="text-gray-600">Certification</dt><dd>{course.certification ? `${course.certification.name}, valid ${course.certification.validityMonths} months` : 'None'}</dd>
            <dt className="text-gray-600">Pass mark</dt><dd>{passMark} %</dd>
            <dt className="text-gray-600">Your status</dt><dd>{mine ? mine.status === 'Failed' ? 'Not passed' : mine.status : 'Not enrolled'}</dd>
            {mine?.completedOn ? <><dt className="text-gray-600">Last completed</dt><dd><DateText iso={mine.completedOn} /> · {mine.score} %</dd></> : null}
          </dl>
          {certificate ? (
            <div className="mt-5 rounded-lg border-2 border-brand-200 bg-brand-50 p-5 text-center" aria-label="Certificate">
              <p className="text-xs font-semibold tracking-wider text-brand-800 uppercase">Certificate</p>
              <p className="mt-1 text-xl font-semibold text-gray-900">{certificate.certification}</p>
              <p className="mt-1 text-sm text-gray-700">Earned <DateText iso={certificate.earnedOn} /> · valid until <strong><DateText iso={certificate.validUntil} /></strong></p>
            </div>
          ) : null}
        </section>
        <section className="card space-y-3 p-5" aria-labelledby="next">
          <h2 id="next" className="text-sm font-semibold text-gray-900">Next step</h2>
          {enrolled ? (
            <Form method="post" {...getFormProps(completion)} noValidate className="space-y-3">
              <FormHead form={completion} intent="complete" />
              <ConformField label="Final assessment score (%)" meta={fields.score} hint={`${passMark} % or more passes`}>
                <input {...conformInput(fields.score, 'text', { hint: true })} inputMode="numeric" />
              </ConformField>
              <button type="submit" className="btn-primary w-full">Record completion</button>
            </Form>
          ) : (
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="enrol" />
              <p className="text-sm text-gray-700">{certificate ? 'Take it again to renew your certificate.' : mine?.status === 'Failed' ? 'Enrol again to retake the assessment.' : 'Enrol to start the course.'}</p>
              <button type="submit" className="btn-primary mt-3 w-full">{certificate ? 'Enrol to renew' : 'Enrol'}</button>
            </Form>
          )}
        </section>
      </div>
    </div>
  )
}
