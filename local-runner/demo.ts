// `npm start`: runs the bundled action end to end, as the runner would, and prints its
// outputs and job summary. Against the built-in App Store Connect sandbox by default; against
// Apple when ASC_KEY_ID, ASC_PRIVATE_KEY and ASC_APP_ID or ASC_BUNDLE_ID are set (in the
// environment or a git-ignored .env file, see .env.example). Extra inputs:
// `npm start -- platform=ios`; an `app-id` or `bundle-id` given there replaces the default app.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ACTION_INPUTS, ROOT, runAction, type ActionRun } from './run-action.js'
import { startSandboxWithNewKey } from './sandbox-with-key.js'

const USAGE = `Usage: npm start -- [input=value ...]

Runs the action (dist/index.js) as the runner does and prints its log, outputs and job
summary: against the built-in App Store Connect sandbox, or against Apple when ASC_KEY_ID and
ASC_PRIVATE_KEY are set (in the environment or in .env, see .env.example).

Each argument is one input of action.yml, as name=value:
  npm start -- platform=macos latest-by=build-number
  npm start -- app-id=1600000001          (replaces the default bundle-id)

Inputs: ${wrap(ACTION_INPUTS.join(', '), 80, '        ')}`

class UsageError extends Error {}

function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  return [...lines, line].join(`\n${indent}`)
}

function extraInputs(args: string[]): Record<string, string> {
  const inputs: Record<string, string> = {}
  for (const arg of args) {
    const split = arg.indexOf('=')
    if (split <= 0) throw new UsageError(`"${arg}" is not an input: give inputs as name=value.`)
    inputs[arg.slice(0, split)] = arg.slice(split + 1)
  }
  return inputs
}

/**
 * The app to look for: `app-id` and `bundle-id` are mutually exclusive, so one given on the
 * command line replaces both defaults rather than joining them.
 */
function withApp(defaults: Record<string, string>, extra: Record<string, string>) {
  const chosen = 'app-id' in extra || 'bundle-id' in extra
  return { ...defaults, ...(chosen ? { 'app-id': '', 'bundle-id': '' } : {}), ...extra }
}

async function againstApple(extra: Record<string, string>): Promise<ActionRun> {
  const env = process.env
  console.log(
    'Running against App Store Connect with the ASC_* credentials from the environment.\n'
  )
  return runAction(
    withApp(
      {
        'issuer-id': env.ASC_ISSUER_ID ?? '',
        'key-id': env.ASC_KEY_ID ?? '',
        'private-key': env.ASC_PRIVATE_KEY ?? '',
        'app-id': env.ASC_APP_ID ?? '',
        'bundle-id': env.ASC_BUNDLE_ID ?? ''
      },
      extra
    )
  )
}

async function againstSandbox(extra: Record<string, string>): Promise<ActionRun> {
  const { sandbox, inputs } = await startSandboxWithNewKey()
  try {
    const apps = sandbox.catalogue.apps.map(app => app.bundleId).join(', ')
    console.log(
      `App Store Connect sandbox at ${sandbox.url}: ${sandbox.catalogue.builds.length} builds of ${apps}.\n`
    )
    const run = await runAction(withApp({ ...inputs, 'bundle-id': 'com.example.weather' }, extra))
    console.log(`Requests made: ${sandbox.requests.length}`)
    for (const request of sandbox.requests) {
      console.log(`  ${request.status} ${request.method} ${decodeURIComponent(request.url)}`)
    }
    console.log()
    return run
  } finally {
    await sandbox.close()
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2)
  if (args.some(arg => arg === '--help' || arg === '-h')) {
    console.log(USAGE)
    return 0
  }
  let extra: Record<string, string>
  try {
    extra = extraInputs(args)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    console.error(`${error.message}\n\n${USAGE}`)
    return 2
  }
  const envFile = join(ROOT, '.env')
  if (existsSync(envFile)) process.loadEnvFile(envFile)
  const real = Boolean(process.env.ASC_KEY_ID && process.env.ASC_PRIVATE_KEY)
  const run = await (real ? againstApple(extra) : againstSandbox(extra))

  console.log('--- action log ---')
  // As the runner shows it: mask commands hidden, debug lines only with RUNNER_DEBUG=1.
  const hidden =
    process.env.RUNNER_DEBUG === '1' ? /^::add-mask::.*\n/gm : /^::(add-mask|debug)::.*\n/gm
  process.stdout.write(run.stdout.replace(hidden, ''))
  if (run.stderr) process.stdout.write(run.stderr)
  console.log('\n--- outputs ---')
  for (const [name, value] of Object.entries(run.outputs)) {
    console.log(`${name}=${value.length > 160 ? `${value.slice(0, 157)}...` : value}`)
  }
  console.log('\n--- job summary ---')
  console.log(run.summary)
  console.log(`The action exited with ${run.exitCode} after ${Math.round(run.durationMs)} ms.`)
  return run.exitCode ?? 1
}

process.exitCode = await main()
