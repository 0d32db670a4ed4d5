// `npm start`: runs the bundled action end to end, as the runner would, and prints its
// outputs and job summary. Against the built-in App Store Connect sandbox by default; against
// Apple when ASC_KEY_ID, ASC_PRIVATE_KEY and ASC_APP_ID or ASC_BUNDLE_ID are set (in the
// environment or a git-ignored .env file, see .env.example). Extra inputs:
// `npm start -- platform=ios`; an `app-id` or `bundle-id` given there replaces the default app.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ACTION_INPUTS, killedMessage, ROOT, runAction, type ActionRun } from './run-action.js'
import { platformOf } from '../src/apple/apple-types.js'
import type { Sandbox } from '../sandbox/index.js'
import { startSandboxWithNewKey } from './sandbox-with-key.js'

const USAGE = `Usage: npm start -- [input=value ...]

Runs the action (dist/index.js) as the runner does and prints its log, outputs and job
summary: against the built-in App Store Connect sandbox, or against Apple when ASC_KEY_ID and
ASC_PRIVATE_KEY are set (in the environment or in .env, see .env.example).

Each argument is one input of action.yml, as name=value:
  npm start -- platform=macos latest-by=build-number
  npm start -- app-id=1600000001          (replaces the default bundle-id)

  npm start -- --wait    (sandbox only) uploads the next build number while the action
                         waits for it, and shows the wait live: AWAITING_UPLOAD to VALID

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

/** The demo's app: the one the sandbox's traps are laid around. */
const DEMO_BUNDLE_ID = 'com.example.weather'

/**
 * Schedules an upload of the app's next build number (one above its builds and its
 * unfinished uploads), for the platform asked for (iOS by default and with `any`), that goes
 * from AWAITING_UPLOAD to VALID in seven seconds once the timeline starts, and returns the
 * inputs that wait for it.
 */
function showAWait(sandbox: Sandbox, platformInput: string | undefined): Record<string, string> {
  const platform = platformOf(platformInput || 'ios') ?? 'IOS'
  const app = sandbox.catalogue.apps.find(candidate => candidate.bundleId === DEMO_BUNDLE_ID)!
  const used = [
    ...sandbox.catalogue.builds.filter(build => build.appId === app.id).map(build => build.version),
    ...sandbox.catalogue.buildUploads
      .filter(upload => upload.appId === app.id)
      .map(upload => upload.cfBundleVersion)
  ].filter(number => /^\d+$/.test(number))
  const next = String(Math.max(0, ...used.map(Number)) + 1)
  sandbox.scheduleUpload({
    bundleId: DEMO_BUNDLE_ID,
    platform,
    version: '3.2.0',
    buildNumber: next,
    steps: [
      // Each state lasts a few polls of 1 s, so the log shows every one.
      { at: 1 },
      { at: 4, upload: 'PROCESSING' },
      { at: 6, build: 'PROCESSING' },
      { at: 9, build: 'VALID' }
    ]
  })
  console.log(
    `Uploading build ${next} of ${DEMO_BUNDLE_ID} for ${platform}: visible after 1 s, received after 4 s, a build after 6 s, VALID after 9 s.\n`
  )
  return { 'build-number': next, 'wait-minutes': '5', 'wait-interval-seconds': '1' }
}

async function againstSandbox(extra: Record<string, string>, wait: boolean): Promise<ActionRun> {
  const { sandbox, inputs } = await startSandboxWithNewKey()
  try {
    const apps = sandbox.catalogue.apps.map(app => app.bundleId).join(', ')
    console.log(
      `App Store Connect sandbox at ${sandbox.url}: ${sandbox.catalogue.builds.length} builds of ${apps}.\n`
    )
    const waiting = wait ? showAWait(sandbox, extra.platform) : {}
    const run = await runAction(
      withApp({ ...inputs, 'bundle-id': DEMO_BUNDLE_ID, ...waiting }, extra),
      // A wait is shown as it happens, as the runner's log shows it; the upload starts once
      // the action is waiting, so that the whole of its life shows.
      wait
        ? {
            onStdout: text => {
              if (text.includes('Waiting up to')) sandbox.startTimeline()
              process.stdout.write(runnerView(text))
            }
          }
        : {}
    )
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

/** The log as the runner shows it: mask commands hidden, debug lines only with RUNNER_DEBUG=1. */
function runnerView(text: string): string {
  const hidden =
    process.env.RUNNER_DEBUG === '1' ? /^::add-mask::.*\n/gm : /^::(add-mask|debug)::.*\n/gm
  return text.replace(hidden, '')
}

async function main(): Promise<number> {
  const args = process.argv.slice(2)
  if (args.some(arg => arg === '--help' || arg === '-h')) {
    console.log(USAGE)
    return 0
  }
  const wait = args.includes('--wait')
  let extra: Record<string, string>
  try {
    extra = extraInputs(args.filter(arg => arg !== '--wait'))
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    console.error(`${error.message}\n\n${USAGE}`)
    return 2
  }
  const envFile = join(ROOT, '.env')
  if (existsSync(envFile)) process.loadEnvFile(envFile)
  const real = Boolean(process.env.ASC_KEY_ID && process.env.ASC_PRIVATE_KEY)
  const run = await (real ? againstApple(extra) : againstSandbox(extra, wait))

  if (!wait) {
    console.log('--- action log ---')
    process.stdout.write(runnerView(run.stdout))
  }
  if (run.stderr) process.stdout.write(run.stderr)
  console.log('\n--- outputs ---')
  for (const [name, value] of Object.entries(run.outputs)) {
    console.log(`${name}=${value.length > 160 ? `${value.slice(0, 157)}...` : value}`)
  }
  console.log('\n--- job summary ---')
  console.log(run.summary)
  console.log(
    run.killedAtMs === undefined
      ? `The action exited with ${run.exitCode} after ${Math.round(run.durationMs)} ms.`
      : killedMessage(run.killedAtMs)
  )
  return run.exitCode ?? 1
}

process.exitCode = await main()
