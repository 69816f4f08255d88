import { data, Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/partner-course'
import { parseParams, RouteId } from '../../params.server.ts'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { CsrfInput } from '../../components/shell.tsx'
import { Badge, DateText, Field, FormError, inputProps, PageHeader } from '../../components/ui.tsx'
import { parseForm, refused, type FormResult } from '../../forms.server.ts'
import { CompleteCourseData } from '../../../domain/training/decide.ts'
import { DEFAULT_PASS_MARK } from '../../../domain/training/course.ts'
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
  return { course: found, mine: me?.courses[found.courseId] ?? null, certificate: me?.certificates[found.courseId] ?? null, passMark: DEFAULT_PASS_MARK, today: services.clock().toISOString().slice(0, 10) }
}

const Intent = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('enrol') }),
  z.object({
    intent: z.literal('complete'),
    score: formNumber('your score', CompleteCourseData.shape.score),
  }),
])

export async function action({ request, context, params }: Route.ActionArgs) {
  const ids = parseParams({ courseId: RouteId }, params, 'No course with this id.')
  const { services } = context
  const { user, form } = await requireAction(request, services, 'training:take')
  const found = await course(services, ids.courseId)
  const parsed = parseForm(Intent, form)
  if (!parsed.ok) return data({ result: parsed.result }, { status: 400 })
  const commands = services.commands.enablement
  const issued = { actor: toActor(user) }
  const to = `/partner/training/${found.courseId}`
  try {
    if (parsed.value.intent === 'enrol') {
      await commands.enrol(issued, found.courseId)
      return redirectWithToast(request, services, to, `Enrolled in ${found.title}.`)
    }
    const score = parsed.value.score
    const result = await commands.complete(issued, found.courseId, score)
    const earned = result.events.find((e) => e.type === 'CertificationEarned')?.data as { validUntil?: string } | undefined
    if (earned?.validUntil) return redirectWithToast(request, services, to, `Passed with ${score} %: you are certified ${found.certification?.name} until ${earned.validUntil}.`)
    const passed = (result.events.find((e) => e.type === 'CourseCompleted')?.data as { passed?: boolean } | undefined)?.passed === true
    return redirectWithToast(request, services, to, passed ? `${found.title} completed with ${score} %.` : `${score} % is below the pass mark; enrol again to retake it.`, passed ? 'success' : 'info')
  } catch (error) {
    return refused(error, form)
  }
}

export default function Course() {
  const { course, mine, certificate, passMark, today } = useLoaderData<typeof loader>()
  const actionData = useActionData<{ result: FormResult }>()
  const errors = actionData?.result.fieldErrors ?? {}
  const enrolled = mine?.status === 'Enrolled'
  return (
    <div className="max-w-4xl">
      <PageHeader title={course.title} description={course.description} breadcrumbs={[{ to: '/partner/training', label: 'Training' }]}
        actions={certificate ? <CertificateBadge validUntil={certificate.validUntil} lapsed={certificate.lapsed} today={today} /> : enrolled ? <Badge tone="amber">Enrolled</Badge> : null} />
      <FormError message={actionData?.result.formError} />
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
            <Form method="post" noValidate className="space-y-3">
              <CsrfInput />
              <Field label="Final assessment score (%)" name="score" error={errors.score} hint={`${passMark} % or more passes`}>
                <input {...inputProps('score', errors.score, 'pass')} inputMode="numeric" defaultValue={actionData?.result.values.score} />
              </Field>
              <button name="intent" value="complete" className="btn-primary w-full">Record completion</button>
            </Form>
          ) : (
            <Form method="post">
              <CsrfInput />
              <p className="text-sm text-gray-700">{certificate ? 'Take it again to renew your certificate.' : mine?.status === 'Failed' ? 'Enrol again to retake the assessment.' : 'Enrol to start the course.'}</p>
              <button name="intent" value="enrol" className="btn-primary mt-3 w-full">{certificate ? 'Enrol to renew' : 'Enrol'}</button>
            </Form>
          )}
        </section>
      </div>
    </div>
  )
}
