// Vendor: publish a course with its assessment (questions, choices, the right ones), the certification a pass grants and
// the pass mark.
import { randomUUID } from 'node:crypto'
import { FormProvider, getFormProps } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/vendor-course-new'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { replyInvalid, replyRefused } from '../../conform.server.ts'
import { ConformField, conformInput, conformTextarea } from '../../components/form-field.tsx'
import { FormActions, FormHead, useSchemaForm } from '../../components/schema-form.tsx'
import { PageHeader } from '../../components/ui.tsx'
import { DEFAULT_PASS_MARK } from '../../../domain/training/course.ts'
import { PublishCourseData } from '../../../domain/training/decide.ts'
import { countOf } from '../../format.ts'
import { formOptional, formOptionalNumber, formText } from '../../forms.ts'
import { NEW_QUESTION, QuestionsEditor, QuestionsField } from './assessment-form.tsx'

export const meta: Route.MetaFunction = () => [{ title: 'Publish a course · Partnerlog' }]

const certification = PublishCourseData.shape.certification.unwrap().shape
/** the form's schema, shared by the browser and the action; a certification needs its validity */
export const CourseForm = z.object({
  commandId: z.uuid(),
  title: formText('the course title', PublishCourseData.shape.title),
  description: formText('a short description', PublishCourseData.shape.description),
  certification: formOptional(certification.name),
  validityMonths: formOptionalNumber('how many months the certification stays valid', certification.validityMonths),
  passMark: formOptionalNumber('the pass mark', PublishCourseData.shape.passMark.unwrap()),
  questions: QuestionsField,
}).transform((v, ctx) => {
  const { validityMonths, ...rest } = v
  if (!v.certification) return { ...rest, certification: undefined }
  if (validityMonths === undefined) {
    ctx.addIssue({ code: 'custom', path: ['validityMonths'], message: 'Enter how many months the certification stays valid (1 to 120)' })
    return z.NEVER
  }
  return { ...rest, certification: { name: v.certification, validityMonths } }
})

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(request, context.services, 'course:publish')
  return { commandId: randomUUID() }
}

export async function action({ request, context }: Route.ActionArgs) {
  const { services } = context
  const { user, form } = await requireAction(request, services, 'course:publish')
  const submission = parseWithZod(form, { schema: CourseForm })
  if (submission.status !== 'success') return replyInvalid(submission)
  const { commandId, title, description, certification, passMark, questions } = submission.value
  const courseId = `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40)}-${commandId.slice(0, 6)}`
  try {
    await services.commands.enablement.publishCourse({ actor: toActor(user), commandId }, {
      courseId, title, description, ...(certification ? { certification } : {}), ...(passMark === undefined ? {} : { passMark }), questions,
    })
    return redirectWithToast(request, services, `/vendor/enablement/courses/${courseId}`, `Course ${title} published with ${countOf(questions.length, 'question')}; partners can take it now.`)
  } catch (error) {
    return replyRefused(submission, error)
  }
}

export default function NewCourse() {
  const { commandId } = useLoaderData<typeof loader>()
  const [form, fields] = useSchemaForm({
    id: 'publish-course', schema: CourseForm, lastResult: useActionData<typeof action>()?.result,
    defaultValue: { validityMonths: '24', passMark: String(DEFAULT_PASS_MARK), questions: [NEW_QUESTION] },
  })
  return (
    <div className="max-w-2xl">
      <PageHeader title="Publish a course" description="Partners find it in their training catalogue and take its assessment; the server scores it, and a pass can grant a certification." breadcrumbs={[{ to: '/vendor/enablement', label: 'Enablement' }]} />
      <FormProvider context={form.context}>
      <Form method="post" {...getFormProps(form)} noValidate className="card space-y-5 p-4 sm:p-6">
        {/* Enter in a field publishes the course, not the first Remove button */}
        <button type="submit" className="hidden" tabIndex={-1} aria-hidden="true" />
        <FormHead form={form} commandId={commandId} />
        <ConformField label="Title" meta={fields.title}><input {...conformInput(fields.title)} /></ConformField>
        <ConformField label="Description" meta={fields.description}>
          <textarea {...conformTextarea(fields.description)} rows={3} />
        </ConformField>
        <div className="grid gap-5 sm:grid-cols-2">
          <ConformField label="Certification it grants (optional)" meta={fields.certification} hint="Leave empty for a course without certification">
            <input {...conformInput(fields.certification, 'text', { hint: true })} placeholder="Edge Firewall Professional" />
          </ConformField>
          <ConformField label="Valid for (months)" meta={fields.validityMonths}>
            <input {...conformInput(fields.validityMonths)} inputMode="numeric" />
          </ConformField>
          <ConformField label="Pass mark (%)" meta={fields.passMark} hint="The share of questions right that passes">
            <input {...conformInput(fields.passMark, 'text', { hint: true })} inputMode="numeric" />
          </ConformField>
        </div>
        <div className="border-t border-gray-100 pt-5"><QuestionsEditor /></div>
        <FormActions back="/vendor/enablement" submit="Publish course" sending="Publishing…" />
      </Form>
      </FormProvider>
    </div>
  )
}
