// Keeps an App Store Connect sandbox running for a workflow's self-test: writes the inputs
// that reach it to the file named by --github-output (as step outputs), then serves until
// stopped. Usage (from the repository root):
//   node --import tsx local-runner/serve-sandbox.ts --github-output "$GITHUB_OUTPUT" &
import { appendFileSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { startSandboxWithNewKey } from './sandbox-with-key.js'

const flag = process.argv.indexOf('--github-output')
const outputFile = flag >= 0 ? process.argv[flag + 1] : undefined
const { sandbox, inputs } = await startSandboxWithNewKey()

const lines = Object.entries(inputs).map(([name, value]) => {
  const delimiter = `EOF_${randomUUID()}`
  return `${name}<<${delimiter}\n${value.trim()}\n${delimiter}\n`
})
if (outputFile) appendFileSync(outputFile, lines.join(''))
else process.stdout.write(lines.join(''))
console.log(`sandbox ready at ${sandbox.url}`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void sandbox.close().then(() => process.exit(0)))
}
