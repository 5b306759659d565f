import type { Explained } from '../gasless/explain'

/** An error for people first (title), with the relayer's reason code and message for anyone who needs them. */
export function ErrorNotice({ error, testId }: { error: Explained; testId?: string }) {
  return (
    <div className="error" role="alert" data-testid={testId ?? 'error'}>
      <p className="error-title">{error.title}</p>
      {error.reason && (
        <p className="error-reason">
          Reason: <code data-testid="error-reason">{error.reason}</code>
        </p>
      )}
      {error.detail && (
        <details>
          <summary>Details</summary>
          <p className="error-detail">{error.detail}</p>
        </details>
      )}
    </div>
  )
}
