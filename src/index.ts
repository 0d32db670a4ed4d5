import { errorMessage } from './errors.js'
import { log } from './log.js'
import { run } from './main.js'

// run() reports its own failures; this catches only what escapes it, so no failure is silent.
await run().catch((error: unknown) => log.fail(errorMessage(error)))
