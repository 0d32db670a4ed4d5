import * as core from '@actions/core'
import { errorMessage } from './errors.js'
import { run } from './main.js'

// run() reports its own failures; this catches only what escapes it, so no failure is silent.
await run().catch((error: unknown) => core.setFailed(errorMessage(error)))
