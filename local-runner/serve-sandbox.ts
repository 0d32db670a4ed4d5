// Keeps an App Store Connect sandbox running for a workflow's self-test: writes the inputs
// that reach it to the file named by --github-output (as step outputs), then serves until
// stopped. Usage (from the repository root):
//   node --import tsx local-runner/serve-sandbox.ts --github-output "$GITHUB_OUTPUT" &
//
// Uploads that happen while it runs (to show a wait): a JSON list of UploadSchedule (see
// sandbox/timeline.ts) in --uploads '<json>', --uploads-file <path> or SANDBOX_UPLOADS; their
// steps count from the moment the sandbox is ready. For example:
//   SANDBOX_UPLOADS='[{"bundleId":"com.example.weather","version":"3.2.0","buildNumber":"900",
//     "steps":[{"at":1},{"at":2,"upload":"PROCESSING"},{"at":4,"build":"PROCESSING"},
//              {"at":8,"build":"VALID"}]}]'
import { appendFileSync, readFileSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { parseUploadSchedules, type UploadSchedule } from '../sandbox/index.js'
import { startSandboxWithNewKey } from './sandbox-with-key.js'

const argument = (name: string): string | undefined => {
  const index = process.argv.indexOf(name)
  return index >= 0 ? process.argv[index + 1] : undefined
}

function uploadSchedules(): UploadSchedule[] {
  const file = argument('--uploads-file')
  const json = argument('--uploads') ?? (file ? readFileSync(file, 'utf8') : undefined)
  const text = json ?? process.env.SANDBOX_UPLOADS
  return text ? parseUploadSchedules(text) : []
}

const outputFile = argument('--github-output')
const schedules = uploadSchedules()
const { sandbox, inputs } = await startSandboxWithNewKey()
const handles = schedules.map(schedule => sandbox.scheduleUpload(schedule))

const lines = Object.entries(inputs).map(([name, value]) => {
  const delimiter = `EOF_${randomUUID()}`
  return `${name}<<${delimiter}\n${value.trim()}\n${delimiter}\n`
})
if (outputFile) appendFileSync(outputFile, lines.join(''))
else process.stdout.write(lines.join(''))
console.log(`sandbox ready at ${sandbox.url}`)

if (handles.length > 0) {
  sandbox.startTimeline()
  handles.forEach((handle, index) => {
    const { buildNumber, version } = schedules[index]!
    console.log(
      `upload ${buildNumber ?? handle.uploadId} (${version ?? 'catalogue'}) scheduled: upload id ${handle.uploadId}, build id ${handle.buildId}`
    )
  })
  // Say what happens, as it happens.
  let told = 0
  const tell = setInterval(() => {
    for (const event of sandbox.timeline.events.slice(told)) {
      console.log(`+${event.at} s upload ${event.uploadId}: ${event.changes.join(', ')}`)
    }
    told = sandbox.timeline.events.length
    if (sandbox.timeline.remaining === 0) clearInterval(tell)
  }, 100)
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void sandbox.close().then(() => process.exit(0)))
}
