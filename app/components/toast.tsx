// The short confirmation shown after an action, naming what happened: in the page's flow above its content, so it
// never covers what the action changed (a floating toast sat on the co-brand preview).
const styles = {
  success: 'bg-green-50 text-green-900 ring-green-600/30',
  error: 'bg-red-50 text-red-900 ring-red-600/30',
  info: 'bg-blue-50 text-blue-900 ring-blue-600/30',
} as const

export function Toast({ kind, message }: { kind: keyof typeof styles; message: string }) {
  return (
    <div role="status" aria-live="polite" className="mb-4">
      <div className={`rounded-md px-4 py-3 text-sm font-medium ring-1 ${styles[kind]}`}>{message}</div>
    </div>
  )
}
