/** Shown instead of an action nobody signed in can take: a way forward, never a dead button. */
export function SignInPrompt({ what }: { what: string }) {
  return (
    <section className="page">
      <p className="notice">
        <a href="#/signin">Sign in</a> to {what}.
      </p>
    </section>
  )
}
