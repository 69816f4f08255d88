import { randomUUID } from 'node:crypto'
import { Form, useActionData, useLoaderData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/vendor-course-new'
import { redirectWithToast, requireAction, requireUser } from '../../auth.server.ts'
import { toActor } from '../../commands/index.server.ts'
import { CsrfInput } from '../../components/shell.tsx'
import { Field, FormError, inputProps, PageHeader } from '../../components/ui.tsx'
import { PublishCourseData } from '../../../domain/training/decide.ts'
import { formOptional, formOptionalNumber, formText } from '../../forms.ts'
import { invalid, parseForm, refused, type FormResult } from '../../forms.server.ts'


export const meta: Route.MetaFunction = () => [{ title: 'Publish a course · Partnerlog' }]

const certification = PublishCourseData.shape.certification.unwrap().shape
const CourseForm = z.object({
  commandId: z.uuid(),
  title: formText('the course title', PublishCourseData.shape.title),
  description: formText('a short description', PublishCourseData.shape.description),
  certification: formOptional(certification.name),
  validityMonths: formOptionalNumber('how many months the certification stays valid', certification.validityMonths),
}).transform((v, ctx) => {
  if (!v.certification) return { ...v, certification: undefined }
  if (v.validityMonths === undefined) {
    ctx.addIssue({ code: 'custom', path: ['validityMonths'], message: 'Enter how many months the certification stays valid (1 to 120)' })
    return z.NEVER
  }
  return { ...v, certification: { name: v.certification, validityMonths: v.validityMonths } }
})

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireUser(request, context.services, 'course:publish')
  return { commandId: randomUUID() }
}

export async function action({ request, context }: Route.ActionArgs) {
  const { services } = context
  const { user, form } = await requireAction(request, services, 'course:publish')
  const parsed = parseForm(CourseForm, form)
  if (!parsed.ok) return invalid(parsed.result)
  const { commandId, title, description, certification } = parsed.value
  const courseId = `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40)}-${commandId.slice(0, 6)}`
  try {
    await services.commands.enablement.publishCourse({ actor: toActor(user), commandId }, { courseId, title, description, ...(certification ? { certification } : {}) })
    return redirectWithToast(request, services, '/vendor/enablement', `Course ${title} published; partners can enrol now.`)
  } catch (error) {
    return refused(error, form)
  }
}

export default function NewCourse() {
  const { commandId } = useLoaderData<typeof loader>()
  const result = useActionData<{ result: FormResult }>()?.result
  const errors = result?.fieldErrors ?? {}
  const values = result?.values ?? {}
  return (
    <div className="max-w-2xl">
      <PageHeader title="Publish a course" description="Partners find it in their training catalogue; a pass can grant a certification with an expiry." breadcrumbs={[{ to: '/vendor/enablement', label: 'Enablement' }]} />
      <Form method="post" noValidate className="card space-y-5 p-6">
        <CsrfInput />
        <input type="hidden" name="commandId" value={values.commandId ?? commandId} />
        <FormError message={result?.formError} />
        <Field label="Title" name="title" error={errors.title}><input {...inputProps('title', errors.title)} defaultValue={values.title} /></Field>
        <Field label="Description" name="description" error={errors.description}><textarea {...inputProps('description', errors.description)} rows={3} defaultValue={values.description} /></Field>
        <div className="grid gap-5 sm:grid-cols-2">
          <Field label="Certification it grants (optional)" name="certification" error={errors.certification} hint="Leave empty for a course without certification">
            <input {...inputProps('certification', errors.certification, 'Leave')} defaultValue={values.certification} placeholder="Edge Firewall Professional" />
          </Field>
          <Field label="Valid for (months)" name="validityMonths" error={errors.validityMonths}>
            <input {...inputProps('validityMonths', errors.validityMonths)} inputMode="numeric" defaultValue={values.validityMonths ?? '24'} />
          </Field>
        </div>
        <div className="flex justify-end gap-2 border-t border-gray-100 pt-4">
          <a href="/vendor/enablement" className="btn-secondary">Cancel</a>
          <button type="submit" className="btn-primary">Publish course</button>
        </div>
      </Form>
    </div>
  )
}
