import { useCallback, useRef, useState } from 'react'
import { RelayerError } from '../relayer/errors'
import { useApp } from '../session/AppContext'
import type { RequestView } from '../relayer/types'
import { explain, explainFailure, type Explained } from './explain'
import { gasPayer } from '../session/gasChoice'
import { sendDirect } from './direct'
import { sendGasless, type GaslessCall, type Progress } from './send'

/** One step of an action (e.g. "Allow the auction house to spend MRC", then "Place the bid"). */
export interface Step {
  label: string
  progress?: Progress
  result?: RequestView
  error?: Explained
}

export type Run = (label: string, call: GaslessCall) => Promise<RequestView>

/**
 * Runs an action made of gasless steps, one after the other (each waits for the previous one to be confirmed: the
 * relayer simulates every call against the chain as it is when the call arrives). A refused or failed step stops
 * the action and is shown with its reason.
 */
export function useGasless() {
  const { actor, deployment, client, chainChanged, signOut } = useApp()
  const [steps, setSteps] = useState<Step[]>([])
  const [busy, setBusy] = useState(false)
  const stepsRef = useRef<Step[]>([])

  const update = (index: number, patch: Partial<Step>) => {
    stepsRef.current = stepsRef.current.map((s, i) => (i === index ? { ...s, ...patch } : s))
    setSteps(stepsRef.current)
  }

  const start = useCallback(
    async (action: (run: Run) => Promise<void>): Promise<boolean> => {
      if (!actor) return false
      stepsRef.current = []
      setSteps([])
      setBusy(true)
      const run: Run = async (label, call) => {
        const index = stepsRef.current.length
        stepsRef.current = [...stepsRef.current, { label }]
        setSteps(stepsRef.current)
        try {
          const onProgress = (progress: Progress) => update(index, { progress })
          // An EVM wallet user who chose to pay the gas sends the transaction from the wallet (see gasChoice.ts).
          const result =
            actor.kind === 'wallet' && gasPayer() === 'self'
              ? await sendDirect(actor, client, call, onProgress)
              : await sendGasless(actor, deployment.evm, client, call, onProgress)
          update(index, { result })
          if (result.status === 'failed') {
            const error = { title: explainFailure(result.error), reason: 'failed', detail: result.error ?? undefined }
            update(index, { error })
            throw new StepFailed()
          }
          return result
        } catch (error) {
          if (!(error instanceof StepFailed)) update(index, { error: explain(error) })
          // The session expired or was ended elsewhere: say so (above) and go back to signed out.
          if (error instanceof RelayerError && error.status === 401) void signOut()
          throw new StepFailed()
        }
      }
      try {
        await action(run)
        return true
      } catch (error) {
        if (!(error instanceof StepFailed)) {
          stepsRef.current = [...stepsRef.current, { label: 'Preparing', error: explain(error) }]
          setSteps(stepsRef.current)
        }
        return false
      } finally {
        setBusy(false)
        chainChanged()
      }
    },
    [actor, deployment, client, chainChanged, signOut],
  )

  return { steps, busy, start }
}

class StepFailed extends Error {}
