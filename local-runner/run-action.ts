// Runs the bundled action the way the GitHub runner does: a Node 24 process on
// dist/index.js, each input as an INPUT_<NAME> variable (defaults from action.yml), and
// GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files read back afterwards. Like the runner, it warns
// in the step log about inputs that action.yml does not declare, and passes them on all the
// same.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { parse } from 'yaml'
import { SOURCE_HASH_FILE, sourceHash } from '../scripts/source-hash.mjs'

/** The repository root: the nearest folder up from here with an action.yml. */
export const ROOT = (() => {
  let folder = import.meta.dirname
  while (!existsSync(join(folder, 'action.yml'))) {
    const parent = dirname(folder)
    if (parent === folder) throw new Error('action.yml not found above ' + import.meta.dirname)
    folder = parent
  }
  return folder
})()
const METADATA = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>
}
/** Every input action.yml declares, in its order. */
export const ACTION_INPUTS: readonly string[] = Object.keys(METADATA.inputs)
const ACTION_DEFAULTS: Record<string, string> = Object.fromEntries(
  Object.entries(METADATA.inputs)
    .filter(([, input]) => input.default !== undefined)
    // The runner evaluates expressions such as ${{ github.token }}; here there is no context.
    .map(([name, input]) => [
      name,
      String(input.default).includes('${{') ? '' : String(input.default)
    ])
)

/** The names among `inputs` that action.yml does not declare (a misspelt `platfrom`, say). */
export function unexpectedInputs(inputs: Record<string, string>): string[] {
  return Object.keys(inputs).filter(name => !ACTION_INPUTS.includes(name))
}

/** The warning the runner writes to the step log for inputs action.yml does not declare. */
export function unexpectedInputsWarning(names: readonly string[]): string {
  const list = (values: readonly string[]): string => values.map(name => `'${name}'`).join(', ')
  return `Unexpected input(s) ${list(names)}, valid inputs are [${list(ACTION_INPUTS)}]`
}

export interface ActionRun {
  exitCode: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** The `::error::` lines, unescaped. */
  errors: string[]
  durationMs: number
  /** With `interrupt`: how long the action took to exit after the signal. */
  exitAfterSignalMs?: number
  /** Set when the emulator killed the action at its time limit: that limit, in ms. */
  killedAtMs?: number
}

export interface RunActionOptions {
  /** Extra environment (ACTIONS_STEP_DEBUG, proxies...). */
  env?: Record<string, string>
  /** Each piece of the action's stdout as it comes (to show a long run live). */
  onStdout?: (text: string) => void
  /**
   * Sends `signal` to the action, as a cancelled job does: once its stdout matches `once`, or
   * once `when` settles (a stand-in saw a request, say).
   */
  interrupt?: { signal: NodeJS.Signals; once?: RegExp; when?: Promise<unknown> }
  /** The bundle to run; dist/index.js by default. */
  entry?: string
  /** The emulator's time limit; by default timeLimitMs(inputs). */
  timeoutMs?: number
}

/** Start-up, the job summary and the comment, after the action's own deadline. */
const MARGIN_MS = 30_000

/**
 * How long the emulator lets the action run before it kills it: the action's own deadline
 * (total-timeout-minutes, plus wait-minutes), so that a wait or a slow API is never cut
 * short, and a margin for the report after it.
 */
export function timeLimitMs(inputs: Record<string, string>): number {
  const minutes = (name: string): number => {
    const value = Number(inputs[name] || ACTION_DEFAULTS[name])
    return Number.isFinite(value) && value > 0 ? value : 0
  }
  return (minutes('total-timeout-minutes') + minutes('wait-minutes')) * 60_000 + MARGIN_MS
}

/** What the emulator says when it kills the action, in place of a bare "exited with null". */
export function killedMessage(limitMs: number): string {
  return (
    `The runner emulator killed the action after ${Math.round(limitMs / 1000)} s, its time limit ` +
    '(total-timeout-minutes plus wait-minutes, and 30 s for the report): the outputs above are ' +
    'what was written by then.'
  )
}

export async function runAction(
  inputs: Record<string, string>,
  options: RunActionOptions = {}
): Promise<ActionRun> {
  const folder = mkdtempSync(join(tmpdir(), 'action-run-'))
  const outputFile = join(folder, 'output')
  const summaryFile = join(folder, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: folder,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: folder,
    ...options.env
  }
  for (const [name, value] of Object.entries({ ...ACTION_DEFAULTS, ...inputs })) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
  const unexpected = unexpectedInputs(inputs)
  const runnerLog =
    unexpected.length > 0 ? `##[warning]${unexpectedInputsWarning(unexpected)}\n` : ''
  if (options.entry === undefined) assertBundleIsFresh()
  const started = performance.now()
  try {
    const limitMs = options.timeoutMs ?? timeLimitMs(inputs)
    const { exitCode, stdout, stderr, exitAfterSignalMs, killed } = await spawnNode(
      [options.entry ?? join(ROOT, 'dist', 'index.js')],
      env,
      limitMs,
      options
    )
    return {
      exitCode,
      stdout: runnerLog + stdout,
      stderr: killed ? `${stderr}${killedMessage(limitMs)}\n` : stderr,
      killedAtMs: killed ? limitMs : undefined,
      outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
      summary: readFileSync(summaryFile, 'utf8'),
      errors: stdout
        .split('\n')
        .filter(line => line.startsWith('::error::'))
        .map(line => unescapeCommand(line.slice('::error::'.length))),
      durationMs: performance.now() - started,
      exitAfterSignalMs
    }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

let bundleChecked = false

/**
 * Refuses to run a dist/ built from other sources than src/ as it is now: a test of a stale
 * bundle would pass or fail for the old code.
 */
export function assertBundleIsFresh(root = ROOT): void {
  if (bundleChecked && root === ROOT) return
  const recorded = existsSync(join(root, 'dist', SOURCE_HASH_FILE))
    ? readFileSync(join(root, 'dist', SOURCE_HASH_FILE), 'utf8').trim()
    : ''
  if (recorded !== sourceHash(root)) {
    throw new Error(
      'dist/ was not built from src/ as it is now, so running it would test other code: run npm run build first.'
    )
  }
  bundleChecked = root === ROOT
}

/** Runs node with `args`, collecting its output; killed after `timeoutMs`. */
export function spawnNode(
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
  live: Pick<RunActionOptions, 'onStdout' | 'interrupt'> = {}
): Promise<{
  exitCode: number | null
  stdout: string
  stderr: string
  exitAfterSignalMs?: number
  killed: boolean
}> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, {
      env,
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    let signalledAt: number | undefined
    let killed = false
    const interrupt = (): void => {
      if (!live.interrupt || signalledAt !== undefined || child.exitCode !== null) return
      signalledAt = performance.now()
      child.kill(live.interrupt.signal)
    }
    void live.interrupt?.when?.then(interrupt, interrupt)
    child.stdout.on('data', chunk => {
      stdout += chunk
      live.onStdout?.(String(chunk))
      if (live.interrupt?.once?.test(stdout)) interrupt()
    })
    child.stderr.on('data', chunk => (stderr += chunk))
    const timer = setTimeout(() => {
      killed = true
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('error', reject)
    child.on('close', exitCode => {
      clearTimeout(timer)
      const exitAfterSignalMs =
        signalledAt === undefined ? undefined : performance.now() - signalledAt
      resolvePromise({ exitCode, stdout, stderr, exitAfterSignalMs, killed })
    })
  })
}

/** `name<<delimiter\nvalue\ndelimiter\n` entries, as @actions/core writes them. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let index = 0; index < lines.length; index++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[index]!)
    if (!match) continue
    const [, name, delimiter] = match
    const value: string[] = []
    while (++index < lines.length && lines[index] !== delimiter) value.push(lines[index]!)
    outputs[name!] = value.join('\n')
  }
  return outputs
}

function unescapeCommand(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}
