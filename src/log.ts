// Every line the action logs goes through here: one line, no control characters (an ANSI
// escape from a server could draw a fake "All checks passed"), no secret known to the
// registry, and no workflow command that text from outside could start.
import * as core from '@actions/core'
import { redactedText, withoutWorkflowCommands } from './outside-text.js'

/** A message as it may be logged. */
export function loggable(message: string): string {
  return withoutWorkflowCommands(redactedText(message))
}

export const log = {
  info: (message: string): void => core.info(loggable(message)),
  debug: (message: string): void => core.debug(loggable(message)),
  warning: (message: string): void => core.warning(loggable(message)),
  /** Fails the step with an error annotation. */
  fail: (message: string): void => core.setFailed(loggable(message))
}
