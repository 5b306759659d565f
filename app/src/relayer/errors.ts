/** An error answered by the relayer: `{"error": {"reason", "message"}}` with its HTTP status. */
export class RelayerError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
    readonly retryAfter: number | null = null,
    /** `simulation_failed` on EVM: the call's revert data (hex), when the relayer sends it. */
    readonly revertData: string | null = null,
  ) {
    super(message)
    this.name = 'RelayerError'
  }

  static async from(response: Response): Promise<RelayerError> {
    const body = await response.json().catch(() => null)
    const retry = Number(response.headers.get('Retry-After'))
    if (!body?.error && [502, 503, 504].includes(response.status)) {
      // The app server's proxy answered: the relayer itself is down or not reachable from it.
      return new RelayerError(response.status, 'relayer_unreachable', `the app server got no answer from the relayer (HTTP ${response.status})`)
    }
    const reason: string = body?.error?.reason ?? `http_${response.status}`
    const message: string = body?.error?.message ?? (response.statusText || 'the relayer did not answer as expected')
    const revertData: string | null = typeof body?.error?.revert_data === 'string' ? body.error.revert_data : null
    return new RelayerError(
      response.status,
      reason,
      message,
      Number.isFinite(retry) && retry > 0 ? retry : null,
      revertData,
    )
  }
}

/** What a refusal means for the person in front of the screen, by the relayer's stable reason. */
const PLAIN: Record<string, string> = {
  relayer_unreachable: 'Mercato\u2019s relayer is not reachable right now. Try again in a moment.',
  invalid_credentials: 'That email and password do not match an account.',
  email_taken: 'An account with this email already exists. Log in instead.',
  invalid_email: 'That does not look like an email address.',
  weak_password: 'Choose a longer password.',
  password_too_long: 'That password is too long.',
  request_not_found: 'The relayer has no such request for you.',
  rate_limited: 'Too many attempts. Wait a minute and try again.',
  missing_session: 'Your session has ended. Log in again.',
  invalid_session: 'Your session has ended. Log in again.',
  simulation_failed: 'The relayer tried this action first and it would fail, so nothing was sent.',
  target_not_allowed: 'The relayer does not pay for calls to this contract.',
  selector_not_allowed: 'The relayer does not pay for this action.',
  invalid_forward_request: 'Your wallet signature was not accepted (wrong signature, used nonce or expired).',
  user_budget_exceeded: 'You have used today\u2019s free gas allowance. Try again tomorrow.',
  global_budget_exceeded: 'The relayer has used today\u2019s gas budget. Try again later.',
  idempotency_key_reused: 'This action was already submitted with different details.',
  evm_disabled: 'The relayer is not sponsoring EVM transactions right now.',
  value_not_sponsored: 'The relayer pays gas, not ether: this action cannot carry ether.',
  insufficient_sol:
    'Your wallet has too little SOL for the network fee (and the rent of any account this creates). Let Mercato pay the fee instead, or add SOL.',
}

export function plainReason(reason: string): string | undefined {
  return PLAIN[reason]
}
