// Failures the user can act on, and the one way to turn anything thrown into a message.

/** A failure the user can act on: its message is the whole story, so no stack trace is shown. */
export class ActionError extends Error {
  override name = 'ActionError'
}

/** An input that cannot be used as given. Raised before any request is sent. */
export class InputError extends ActionError {
  override name = 'InputError'
}

/** The message of anything thrown, including values that are not Errors. */
export function errorMessage(error: unknown): string {
  // Duck-typed too: errors from another realm (a VM context, a worker) are not `instanceof Error`.
  if (error instanceof Error || isErrorLike(error)) return error.message || error.name
  if (typeof error === 'string') return error
  try {
    return `Unexpected failure: ${JSON.stringify(error)}`
  } catch {
    return `Unexpected failure: ${String(error)}`
  }
}

function isErrorLike(error: unknown): error is { message: string; name: string } {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string' &&
    typeof (error as { name?: unknown }).name === 'string'
  )
}
