// The short confirmation shown after an action, naming what happened.
const styles = {
  success: 'bg-green-50 text-green-900 ring-green-600/30',
  error: 'bg-red-50 text-red-900 ring-red-600/30',
  info: 'bg-blue-50 text-blue-900 ring-blue-600/30',
} as const

export function Toast({ kind, message }: { kind: keyof typeof styles; message: string }) {
  return (
    <div role="status" aria-live="polite" className="fixed right-4 bottom-4 z-50 max-w-sm">
      <div className={`rounded-md px-4 py-3 text-sm font-medium shadow-lg ring-1 ${styles[kind]}`}>{message}</div>
    </div>
  )
}
