// Vendor: one course, its figures and its assessment; revising the questions publishes a new version (attempts keep the
// version they answered). A course published before assessments existed is invited to get its first one here.
import { randomUUID } from 'node:crypto'
import { FormProvider, getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/vendor-course'
import { parseParams, RouteId } from '../../params.server.ts'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { ConformField, conformInput } from '../../components/form-field.tsx'
import { FormActions, FormHead, useSchemaForm } from '../../components/schema-form.tsx'
import { Badge, DateText, PageHeader } from '../../components/ui.tsx'
import { ReviseAssessmentData } from '../../../domain/training/decide.ts'
import { countOf } from '../../format.ts'
import { formNumber } from '../../forms.ts'
import { createTrainingQueries } from '../../queries/training.server.ts'
import { courseOr404 } from './common.server.ts'
import { NEW_QUESTION, QuestionsEditor, QuestionsField, rowsOf } from './assessment-form.tsx'

export const meta: Route.MetaFunction = ({ data }) => [{ title: `${data?.course.title ?? 'Course'} · Enablement · Partnerlog` }]

/** the revision form's schema, shared by the browser and the action */
export const AssessmentForm = z.object({
  commandId: z.uuid(),
  passMark: formNumber('the pass mark', ReviseAssessmentData.shape.passMark.unwrap()),
  questions: QuestionsField,
})

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const ids = parseParams({ courseId: RouteId }, params, 'No course with this id.')
  const { services } = context
  await requireUser(request, services, 'course:publish')
  const [course, assessment] = await Promise.all([courseOr404(services, ids.courseId), createTrainingQueries(services.sql).assessmentWithAnswers(ids.courseId)])
  return { course, assessment, commandId: randomUUID() }
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const ids = parseParams({ courseId: RouteId }, params, 'No course with this id.')
  const { services } = context
  const { user, form } = await requireAction(request, services, 'course:publish')
  const course = await courseOr404(services, ids.courseId)
  const submission = parseWithZod(form, { schema: AssessmentForm })
  // an error, or adding or removing a question or choice without JavaScript
  if (submission.status !== 'success') return replyInvalid(submission)
  const { commandId, passMark, questions } = submission.value
  try {
    const result = await services.commands.enablement.reviseAssessment({ actor: toActor(user), commandId }, course.courseId, { passMark, questions })
    const version = (result.events[0]?.data as { version?: number } | undefined)?.version ?? 1
    const said = version === 1 ? 'published: partners can take it now' : `revised: version ${version}; attempts already made keep the version they answered`
    return redirectWithToast(request, services, `/vendor/enablement/courses/${course.courseId}`, `Assessment of ${course.title} ${said}.`)
  } catch (error) {
    return replyRefused(submission, error)
  }
}

function Figure({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-gray-600">{label}</dt>
      <dd className="mt-0.5 text-lg font-semibold text-gray-900 tabular-nums">{value}</dd>
    </div>
  )
}

export default function VendorCourse() {
  const { course, assessment, commandId } = useLoaderData<typeof loader>()
  const [form, fields] = useSchemaForm({
    id: 'assessment', schema: AssessmentForm, lastResult: useActionData<typeof action>()?.result,
    defaultValue: { commandId, passMark: String(course.passMark), questions: assessment ? rowsOf(assessment.questions) : [NEW_QUESTION] },
  })
  return (
    <div className="max-w-3xl space-y-6">
      <PageHeader title={course.title} description={course.description} breadcrumbs={[{ to: '/vendor/enablement', label: 'Enablement' }]}
        actions={assessment ? <Badge tone="green">{`Assessment v${assessment.version}`}</Badge> : <Badge tone="amber">No assessment yet</Badge>} />
      <section className="card p-4 sm:p-5" aria-labelledby="figures">
        <h2 id="figures" className="sr-only">Figures</h2>
        <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
          <Figure label="Enrolled" value={course.enrolments} />
          <Figure label="Attempts" value={course.completions} />
          <Figure label="Passed" value={course.passes} />
          <Figure label="Certified" value={course.certificationsEarned} />
        </dl>
        <p className="mt-4 border-t border-gray-100 pt-3 text-sm text-gray-700">
          {course.certification ? <>Grants <strong>{course.certification.name}</strong>, valid {course.certification.validityMonths} months.</> : 'Certifies nothing.'}
          {' '}Published <DateText iso={course.publishedAt} />.
          {assessment ? <> Version {assessment.version} since <DateText iso={assessment.publishedAt} />: {countOf(assessment.questions.length, 'question')}, pass mark {assessment.passMark} %.</> : null}
        </p>
      </section>
      {assessment ? null : (
        <div role="status" className="rounded-lg border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
          <p className="font-semibold">Partners cannot take this course yet</p>
          <p className="mt-1">It was published before courses had assessments, so partners see “assessment not yet available”. Add its questions below to open it.</p>
        </div>
      )}
      <FormProvider context={form.context}>
        <Form method="post" {...getFormProps(form)} noValidate className="card space-y-5 p-4 sm:p-6">
          <button type="submit" className="hidden" tabIndex={-1} aria-hidden="true" />
          <FormHead form={form} commandId={commandId} />
          <div>
            <h2 className="text-base font-semibold text-gray-900">{assessment ? 'Revise the assessment' : 'Add the assessment'}</h2>
            <p className="mt-1 text-sm text-gray-600">
              {assessment ? 'Saving publishes a new version: partners answer it from then on; attempts already made keep the version they answered.' : 'Saving publishes version 1.'}
            </p>
          </div>
          <div className="max-w-48">
            <ConformField label="Pass mark (%)" meta={fields.passMark} hint="The share of questions right that passes">
              <input {...conformInput(fields.passMark, 'text', { hint: true })} inputMode="numeric" />
            </ConformField>
          </div>
          <QuestionsEditor legend="Questions" />
          <FormActions back="/vendor/enablement" backLabel="Back" submit={assessment ? `Publish version ${assessment.version + 1}` : 'Publish assessment'} sending="Publishing…" />
        </Form>
      </FormProvider>
    </div>
  )
}
