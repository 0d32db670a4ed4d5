// `npm start`: runs the bundled action end to end, as the runner would, and prints its
// outputs and job summary. Against the built-in App Store Connect sandbox by default; against
// Apple when ASC_KEY_ID, ASC_PRIVATE_KEY and ASC_APP_ID or ASC_BUNDLE_ID are set (in the
// environment or a git-ignored .env file). Extra inputs: `npm start -- platform=ios`.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, runAction, type ActionRun } from './run-action.js'
import { startSandboxWithNewKey } from './sandbox-with-key.js'

function extraInputs(args: string[]): Record<string, string> {
  const inputs: Record<string, string> = {}
  for (const arg of args) {
    const split = arg.indexOf('=')
    if (split <= 0)
      throw new Error(`Inputs are given as name=value (e.g. platform=ios), not "${arg}".`)
    inputs[arg.slice(0, split)] = arg.slice(split + 1)
  }
  return inputs
}

async function againstApple(extra: Record<string, string>): Promise<ActionRun> {
  const env = process.env
  console.log(
    'Running against App Store Connect with the ASC_* credentials from the environment.\n'
  )
  return runAction({
    'issuer-id': env.ASC_ISSUER_ID ?? '',
    'key-id': env.ASC_KEY_ID ?? '',
    'private-key': env.ASC_PRIVATE_KEY ?? '',
    'app-id': env.ASC_APP_ID ?? '',
    'bundle-id': env.ASC_BUNDLE_ID ?? '',
    ...extra
  })
}

async function againstSandbox(extra: Record<string, string>): Promise<ActionRun> {
  const { sandbox, inputs } = await startSandboxWithNewKey()
  try {
    const apps = sandbox.catalogue.apps.map(app => app.bundleId).join(', ')
    console.log(
      `App Store Connect sandbox at ${sandbox.url}: ${sandbox.catalogue.builds.length} builds of ${apps}.\n`
    )
    const run = await runAction({ ...inputs, 'bundle-id': 'com.example.weather', ...extra })
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
  const envFile = join(ROOT, '.env')
  if (existsSync(envFile)) process.loadEnvFile(envFile)
  const extra = extraInputs(process.argv.slice(2))
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
