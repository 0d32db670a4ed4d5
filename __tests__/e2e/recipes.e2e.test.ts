// The README's recipes, run as the runner would run them: each job in order, each step of this
// action through the bundle against the sandbox with the recipe's own inputs (the secrets are
// the sandbox's key, the placeholder app id '1234567890' is the sandbox's weather app), and
// each shell step in bash as GitHub runs it (`bash --noprofile --norc -eo pipefail`), with the
// outputs through its `env:`. Tools a recipe calls that this machine has not (xcrun) are
// stand-ins on the PATH that record their arguments.
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { parseOutputFile, type ActionRun } from '../../local-runner/run-action.js'
// @ts-expect-error: a plain ES module script without types
import { yamlBlocks } from '../../scripts/check-workflows.mjs'
// @ts-expect-error: a plain ES module script without types
import { isThisAction } from '../../scripts/action-ref.mjs'
import { compareVersions } from '../../src/choose/versions.js'
import { startGitHubStandIn, type GitHubStandIn } from '../support/github-api.js'
import { expectedAnswer, startE2e, type E2eContext } from './harness.js'

/** Every yaml block of the README under the heading it follows. */
function recipesOf(markdown: string): Map<string, string[]> {
  const lines = markdown.split('\n')
  const recipes = new Map<string, string[]>()
  for (const block of yamlBlocks(markdown) as Array<{ line: number; text: string }>) {
    let at = block.line - 1
    while (at > 0 && !/^#{1,3} /.test(lines[at - 1]!)) at--
    const heading = lines[at - 1]!.replace(/^#+ /, '')
    recipes.set(heading, [...(recipes.get(heading) ?? []), block.text])
  }
  return recipes
}

const README = recipesOf(readFileSync('README.md', 'utf8'))

/** The one yaml block of a recipe, by its heading. */
function recipe(heading: string): string {
  const blocks = README.get(heading)
  if (blocks?.length !== 1)
    throw new Error(`the README has no single yaml block under "${heading}"`)
  return blocks[0]!
}

interface Step {
  id?: string
  if?: string
  uses?: string
  with?: Record<string, string | number | boolean>
  env?: Record<string, string>
  run?: string
}
interface Job {
  if?: string
  needs?: string | string[]
  outputs?: Record<string, string>
  strategy?: { matrix: Record<string, unknown[]> }
  steps: Step[]
}
interface Workflow {
  on: unknown
  permissions?: unknown
  concurrency?: { group: string; 'cancel-in-progress'?: boolean }
  jobs: Record<string, Job>
}

/** What expressions can read. */
interface Contexts {
  secrets: Record<string, string>
  inputs: Record<string, string>
  github: Record<string, unknown>
  matrix: Record<string, unknown>
  steps: Record<string, { outputs: Record<string, string>; outcome: string }>
  needs: Record<string, { outputs: Record<string, string>; result: string }>
}

/** A value of `a.b-c.d`, or a quoted string: what the recipes' expressions use. */
function operand(text: string, contexts: Contexts): unknown {
  const quoted = /^'(.*)'$/.exec(text)
  if (quoted) return quoted[1]
  const path = text.split('.')
  let value: unknown = contexts
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !(key in value)) {
      if (path[0] === 'steps' || path[0] === 'needs') return ''
      throw new Error(`the recipe reads ${text}, which this runner does not know`)
    }
    value = (value as Record<string, unknown>)[key]
  }
  return value ?? ''
}

/** `a == 'b' && c != 'd'`, `x`: the expressions the recipes hold. */
function evaluate(expression: string, contexts: Contexts): unknown {
  const all = expression.split('&&').map(part => {
    const comparison = /^\s*(.+?)\s*(==|!=)\s*(.+?)\s*$/.exec(part)
    if (!comparison) return operand(part.trim(), contexts)
    const [, left, op, right] = comparison
    const same =
      String(operand(left!, contexts)).toLowerCase() ===
      String(operand(right!, contexts)).toLowerCase()
    return op === '==' ? same : !same
  })
  return all.length === 1 ? all[0] : all.every(Boolean)
}

function interpolate(text: string, contexts: Contexts): string {
  return text.replace(/\$\{\{(.+?)\}\}/g, (_, expression: string) =>
    String(evaluate(expression.trim(), contexts))
  )
}

interface StepRun {
  id?: string
  kind: 'action' | 'shell' | 'skipped'
  exitCode: number | null
  outputs: Record<string, string>
  stdout: string
  /** For a step of this action: the whole run. */
  action?: ActionRun
}

interface JobRun {
  result: 'success' | 'failure' | 'skipped'
  outputs: Record<string, string>
  steps: StepRun[]
}

interface Runner {
  e2e: E2eContext
  /** A stand-in's calls, one line of arguments each: { xcrun: ['agvtool new-version -all 12'] }. */
  calls(tool: string): string[]
  /** Runs a recipe's jobs in order; `between` runs after each job (an upload, say). */
  runWorkflow(
    text: string,
    options?: {
      inputs?: Record<string, string>
      github?: Record<string, unknown>
      env?: Record<string, string>
      matrix?: Record<string, unknown>
      after?: (job: string, run: JobRun) => Promise<void>
    }
  ): Promise<Record<string, JobRun>>
  /** A recipe's shell step alone, with an env of the test's own (to try other values). */
  runShell(script: string, env: Record<string, string>): StepRun
}

/** The token the runner hands a pull_request run (an installation token: github-actions[bot]). */
const JOB_TOKEN = `ghs_${'R'.repeat(36)}`

async function startRunner(): Promise<Runner & { close(): Promise<void> }> {
  const e2e = await startE2e()
  const tools = mkdtempSync(join(tmpdir(), 'recipe-tools-'))
  for (const tool of ['xcrun']) {
    writeFileSync(join(tools, tool), `#!/bin/sh\necho "$*" >> "${join(tools, `${tool}.calls`)}"\n`)
    chmodSync(join(tools, tool), 0o755)
  }
  const secrets = {
    ASC_ISSUER_ID: e2e.teamKey.issuerId,
    ASC_KEY_ID: e2e.teamKey.keyId,
    ASC_PRIVATE_KEY: e2e.teamKey.pem
  }

  function runShell(script: string, env: Record<string, string>): StepRun {
    const folder = mkdtempSync(join(tmpdir(), 'recipe-step-'))
    const outputFile = join(folder, 'output')
    writeFileSync(outputFile, '')
    writeFileSync(join(folder, 'step.sh'), script)
    try {
      const result = spawnSync(
        'bash',
        ['--noprofile', '--norc', '-eo', 'pipefail', join(folder, 'step.sh')],
        {
          env: {
            PATH: `${tools}:${process.env.PATH ?? ''}`,
            HOME: folder,
            GITHUB_OUTPUT: outputFile,
            ...env
          },
          encoding: 'utf8'
        }
      )
      return {
        kind: 'shell',
        exitCode: result.status,
        outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
        stdout: result.stdout + result.stderr
      }
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  }

  async function runStep(step: Step, contexts: Contexts, env: Record<string, string>) {
    if (step.uses !== undefined && isThisAction(step.uses)) {
      const inputs: Record<string, string> = {}
      for (const [name, value] of Object.entries(step.with ?? {})) {
        inputs[name] = interpolate(String(value), contexts)
      }
      if (inputs['app-id'] === '1234567890') inputs['app-id'] = e2e.weather.id
      // The runner evaluates action.yml's default ${{ github.token }}.
      inputs['github-token'] ??= String(contexts.github.token ?? '')
      const action = await e2e.run({ ...inputs, 'api-base-url': e2e.sandbox.url }, { env })
      const run: StepRun = {
        kind: 'action',
        exitCode: action.exitCode,
        outputs: action.outputs,
        stdout: action.stdout,
        action
      }
      return run
    }
    if (step.uses !== undefined) {
      // actions/checkout: the recipes' own files play no part here.
      if (!step.uses.startsWith('actions/checkout@'))
        throw new Error(`no stand-in for ${step.uses}`)
      return { kind: 'skipped', exitCode: 0, outputs: {}, stdout: '' } satisfies StepRun
    }
    const stepEnv = Object.fromEntries(
      Object.entries(step.env ?? {}).map(([name, value]) => [name, interpolate(value, contexts)])
    )
    return runShell(step.run ?? '', { ...env, ...stepEnv })
  }

  async function runJob(job: Job, contexts: Contexts, env: Record<string, string>) {
    const steps: StepRun[] = []
    let failed = false
    for (const step of job.steps) {
      if (failed || (step.if !== undefined && !evaluate(step.if, contexts))) {
        steps.push({ id: step.id, kind: 'skipped', exitCode: null, outputs: {}, stdout: '' })
        continue
      }
      const run = { ...(await runStep(step, contexts, env)), id: step.id }
      steps.push(run)
      if (step.id) {
        contexts.steps[step.id] = {
          outputs: run.outputs,
          outcome: run.exitCode === 0 ? 'success' : 'failure'
        }
      }
      failed = run.exitCode !== 0
    }
    const outputs = Object.fromEntries(
      Object.entries(job.outputs ?? {}).map(([name, value]) => [name, interpolate(value, contexts)])
    )
    return { result: failed ? 'failure' : 'success', outputs, steps } satisfies JobRun
  }

  return {
    e2e,
    calls: tool => {
      try {
        return readFileSync(join(tools, `${tool}.calls`), 'utf8')
          .trim()
          .split('\n')
      } catch {
        return []
      }
    },
    runShell,
    async runWorkflow(text, options = {}) {
      rmSync(join(tools, 'xcrun.calls'), { force: true })
      const value = parse(text) as Workflow | Step[]
      const workflow: Workflow = Array.isArray(value)
        ? { on: 'workflow_dispatch', jobs: { steps: { steps: value } } }
        : value
      const needs: Contexts['needs'] = {}
      const runs: Record<string, JobRun> = {}
      for (const [name, job] of Object.entries(workflow.jobs)) {
        const contexts: Contexts = {
          secrets,
          inputs: options.inputs ?? {},
          github: { token: JOB_TOKEN, ...options.github },
          matrix: options.matrix ?? {},
          steps: {},
          needs
        }
        const wanted = [job.needs ?? []].flat()
        const ready = wanted.every(need => needs[need]?.result === 'success')
        const run: JobRun =
          !ready || (job.if !== undefined && !evaluate(job.if.trim(), contexts))
            ? { result: 'skipped', outputs: {}, steps: [] }
            : await runJob(job, contexts, options.env ?? {})
        runs[name] = run
        needs[name] = { outputs: run.outputs, result: run.result }
        await options.after?.(name, run)
      }
      return runs
    },
    close: async () => {
      await e2e.sandbox.close()
      rmSync(tools, { recursive: true, force: true })
    }
  }
}

// A recipe is several runs of the bundle one after the other: on a busy machine, minutes.
jest.setTimeout(240_000)

let runner: Awaited<ReturnType<typeof startRunner>>
let github: GitHubStandIn

beforeAll(async () => {
  runner = await startRunner()
  github = await startGitHubStandIn()
})
afterAll(async () => {
  await runner.close()
  await github.close()
})
beforeEach(() => github.reset())

const stepOf = (run: JobRun, id: string): StepRun => {
  const step = run.steps.find(candidate => candidate.id === id)
  if (!step) throw new Error(`no step ${id}`)
  return step
}
const shellSteps = (run: JobRun): StepRun[] => run.steps.filter(step => step.kind === 'shell')
const workflowOf = (heading: string): Workflow => parse(recipe(heading)) as Workflow

describe('every recipe', () => {
  it('is run here, and each workflow says its permissions', () => {
    const headings = [...README.keys()].filter(
      heading => !['Inputs', 'Troubleshooting'].includes(heading)
    )
    expect(headings).toEqual([
      'App Store Connect Latest Build',
      'Gate a release job on a build ready for the App Store',
      'The next build number',
      'Wait for the build you just uploaded',
      'Refuse a release whose build number is not above the live one',
      'Post live and candidate builds on the pull request',
      'Post the latest build on every pull request',
      'One answer per platform',
      'Nightly: fail before the TestFlight build expires'
    ])
    for (const heading of headings.slice(1)) {
      expect([heading, workflowOf(heading).permissions]).toEqual([heading, expect.anything()])
    }
  })
})

describe('the first example', () => {
  it('answers with a build internal testers can install, and the shell prints its number', async () => {
    const { steps } = (await runner.runWorkflow(recipe('App Store Connect Latest Build'))) as {
      steps: JobRun
    }
    const answer = expectedAnswer(runner.e2e.sandbox.catalogue, {
      appId: runner.e2e.weather.id,
      readyFor: 'internal-testing'
    })
    expect(steps.result).toBe('success')
    const action = stepOf(steps, 'build')
    expect(action.outputs['build-number']).toBe(answer.build.version)
    expect(action.action!.stdout).toMatch(/; 1 request\.$/m)
    expect(shellSteps(steps)[0]!.stdout).toBe(
      `Shipping build ${answer.build.version} (${answer.build.id}), expires ${answer.build.expirationDate}\n`
    )
  })
})

describe('the release gate', () => {
  const gate = recipe('Gate a release job on a build ready for the App Store')

  it('releases the newest App Store ready build of the version asked for', async () => {
    const { catalogue } = runner.e2e.sandbox
    const appId = runner.e2e.weather.id
    // A train that is not the newest one, so that its hotfix builds are not the latest uploads.
    const newest = expectedAnswer(catalogue, { appId, readyFor: 'app-store' })
    const trains = catalogue.preReleaseVersions.filter(
      prv => prv.appId === appId && prv.platform === 'IOS'
    )
    const older = trains.find(
      prv =>
        prv.version !== newest.preReleaseVersion.version &&
        expectedAnswerOrUndefined(prv.version) !== undefined
    )
    const version = older?.version ?? newest.preReleaseVersion.version
    const answer = expectedAnswer(catalogue, { appId, appVersion: version, readyFor: 'app-store' })

    const runs = await runner.runWorkflow(gate, { inputs: { version } })
    expect(runs['latest-build']!.result).toBe('success')
    expect(stepOf(runs['latest-build']!, 'build').outputs['app-version']).toBe(version)
    expect(runs.release!.result).toBe('success')
    expect(shellSteps(runs.release!)[0]!.stdout).toBe(
      `Submitting build ${answer.build.version} (${answer.build.id})\n`
    )
  })

  it('fails before the release job when the version has no build ready for the App Store', async () => {
    const runs = await runner.runWorkflow(gate, { inputs: { version: '99.0' } })
    expect(runs['latest-build']!.result).toBe('failure')
    expect(runs.release!.result).toBe('skipped')
  })
})

function expectedAnswerOrUndefined(appVersion: string) {
  try {
    const answer = expectedAnswer(runner.e2e.sandbox.catalogue, {
      appId: runner.e2e.weather.id,
      appVersion,
      readyFor: 'app-store'
    })
    // The gate's own condition: a week left at least.
    return Date.parse(answer.build.expirationDate) - Date.now() > 8 * 86_400_000
      ? answer
      : undefined
  } catch {
    return undefined
  }
}

/** Every build number the weather app has used on iOS, builds and uploads. */
function numbersInUse(): string[] {
  const { catalogue } = runner.e2e.sandbox
  const appId = runner.e2e.weather.id
  const trains = new Set(
    catalogue.preReleaseVersions
      .filter(prv => prv.appId === appId && prv.platform === 'IOS')
      .map(prv => prv.id)
  )
  return [
    ...catalogue.builds
      .filter(build => build.appId === appId && trains.has(build.preReleaseVersionId))
      .map(build => build.version),
    ...catalogue.buildUploads
      .filter(upload => upload.appId === appId && upload.platform === 'IOS')
      .map(upload => upload.cfBundleVersion)
  ]
}

describe('the next build number', () => {
  it('sets a number above every one in use, and its runs wait for each other', async () => {
    const text = recipe('The next build number')
    const { build } = await runner.runWorkflow(text)
    expect(build!.result).toBe('success')
    const next = stepOf(build!, 'numbers').outputs['next-build-number']!
    expect(numbersInUse().filter(number => compareVersions(next, number) <= 0)).toEqual([])
    expect(runner.calls('xcrun')).toEqual([`agvtool new-version -all ${next}`])
    // The race the text describes is closed within the workflow by its concurrency group.
    expect(workflowOf('The next build number').concurrency).toEqual({
      group: 'build-number',
      'cancel-in-progress': false
    })
  })
})

describe('the wait recipe', () => {
  it('uploads the next number, then waits for it until internal testers can install it', async () => {
    let uploaded = ''
    const runs = await runner.runWorkflow(recipe('Wait for the build you just uploaded'), {
      after: async (job, run) => {
        if (job !== 'upload') return
        // What the recipe's upload step does: Apple sees the upload, then processes it.
        uploaded = run.outputs['build-number']!
        runner.e2e.sandbox.scheduleUpload({
          bundleId: 'com.example.weather',
          version: '9.1.0',
          buildNumber: uploaded,
          steps: [{ at: 0 }, { at: 0, upload: 'PROCESSING' }, { at: 0, build: 'VALID' }]
        })
        runner.e2e.sandbox.startTimeline()
        await runner.e2e.sandbox.timeline.done()
      }
    })
    expect(runs.upload!.result).toBe('success')
    expect(numbersInUse().filter(number => number !== uploaded)).not.toContain(uploaded)
    expect(runner.calls('xcrun')).toEqual([`agvtool new-version -all ${uploaded}`])
    expect(runs.ship!.result).toBe('success')
    const build = stepOf(runs.ship!, 'build')
    expect(build.outputs).toMatchObject({
      'build-number': uploaded,
      'internal-build-state': 'READY_FOR_BETA_TESTING'
    })
    expect(shellSteps(runs.ship!)[0]!.stdout).toBe(
      `Build ${build.outputs['build-id']} became ready after ${build.outputs['waited-seconds']} s\n`
    )
  })
})

describe('refusing a release whose build number is not above the live one', () => {
  const text = recipe('Refuse a release whose build number is not above the live one')
  const script = workflowOf('Refuse a release whose build number is not above the live one').jobs[
    'above-live'
  ]!.steps.at(-1)!.run!

  it('compares the live build with the candidate', async () => {
    const { 'above-live': job } = await runner.runWorkflow(text)
    const live = stepOf(job!, 'live')
    const candidate = stepOf(job!, 'candidate')
    expect(live.outputs['app-store-state']).toBe('READY_FOR_DISTRIBUTION')
    expect(live.action!.stdout).toMatch(/; 1 request\.$/m)
    const above =
      compareVersions(candidate.outputs['build-number']!, live.outputs['build-number']!) > 0
    expect(job!.result).toBe(above ? 'success' : 'failure')
    expect(shellSteps(job!)[0]!.stdout).toContain(
      `${candidate.outputs['build-number']} (${candidate.outputs['app-version']}) is ${above ? '' : 'not '}above the live build ${live.outputs['build-number']} (${live.outputs['app-version']})`
    )
  })

  it.each([
    ['600', '512', 0],
    ['512', '512', 1],
    ['511', '512', 1],
    ['10', '9', 0],
    ['1.10', '1.9', 0],
    ['1.9', '1.10', 1],
    ['2.0.67.746', '2.0.67.745', 0]
  ])('takes candidate %s over live %s: exit %i', (candidate, live, code) => {
    const run = runner.runShell(script, {
      LIVE: live,
      LIVE_VERSION: '2.3',
      CANDIDATE: candidate,
      CANDIDATE_VERSION: '2.4'
    })
    expect(run.exitCode).toBe(code)
    if (code === 1) {
      expect(run.stdout).toBe(
        `::error::Build ${candidate} (2.4) is not above the live build ${live} (2.3).\n`
      )
    }
  })

  it('lets a first release through: nothing is live yet', () => {
    const run = runner.runShell(script, {
      LIVE: '',
      LIVE_VERSION: '',
      CANDIDATE: '7',
      CANDIDATE_VERSION: '1.0'
    })
    expect(run).toMatchObject({ exitCode: 0, stdout: 'Nothing live yet: build 7 (1.0) may go.\n' })
  })
})

/** What a pull_request run from a branch of the repository itself sees. */
const PULL_REQUEST = {
  repository: 'acme/weather',
  actor: 'octocat',
  event: { pull_request: { number: 7, head: { repo: { full_name: 'acme/weather' } } } }
}

describe('the pull-request recipes', () => {
  it('post the live build and the one being prepared, each in its comment', async () => {
    const { builds } = await runner.runWorkflow(
      recipe('Post live and candidate builds on the pull request'),
      { github: PULL_REQUEST, env: github.pullRequestEnv }
    )
    expect(builds!.result).toBe('success')
    const [live, preparing] = builds!.steps
    expect(live!.outputs['app-store-state']).toBe('READY_FOR_DISTRIBUTION')
    expect(preparing!.outputs['app-store-state']).toBe('PREPARE_FOR_SUBMISSION')
    expect(github.comments).toHaveLength(2)
    expect(github.comments[0]!.body).toContain(`Build ${live!.outputs['build-number']}`)
    expect(github.comments[0]!.body).toMatch(
      /READY&#95;FOR&#95;DISTRIBUTION|READY_FOR_DISTRIBUTION/
    )
    expect(github.comments[1]!.body).toContain(`Build ${preparing!.outputs['build-number']}`)
  })

  it('post the latest build in one comment, and skip a fork’s pull request', async () => {
    const text = recipe('Post the latest build on every pull request')
    const own = await runner.runWorkflow(text, { github: PULL_REQUEST, env: github.pullRequestEnv })
    expect(own['build-info']!.result).toBe('success')
    expect(github.comments).toHaveLength(1)
    github.reset()
    const fork = {
      ...PULL_REQUEST,
      event: { pull_request: { number: 7, head: { repo: { full_name: 'someone/weather' } } } }
    }
    const forked = await runner.runWorkflow(text, { github: fork, env: github.pullRequestEnv })
    expect(forked['build-info']!.result).toBe('skipped')
    expect(github.comments).toHaveLength(0)
  })
})

describe('one answer per platform', () => {
  it('answers for each platform of the matrix, and prints only those found', async () => {
    const text = recipe('One answer per platform')
    const platforms = workflowOf('One answer per platform').jobs['latest-build']!.strategy!.matrix
      .platform as string[]
    expect(platforms).toEqual(['ios', 'macos', 'tvos', 'visionos'])
    const printed: string[] = []
    for (const platform of platforms) {
      const { 'latest-build': job } = await runner.runWorkflow(text, { matrix: { platform } })
      expect(job!.result).toBe('success')
      const { outputs } = stepOf(job!, 'build')
      const shell = shellSteps(job!)
      if (outputs.found === 'true') {
        expect(shell[0]!.stdout).toBe(`${platform}: build ${outputs['build-number']}\n`)
        printed.push(platform)
      } else expect(shell).toEqual([])
    }
    expect(printed).toContain('ios')
    expect(printed).toContain('macos')
  })
})

describe('the nightly expiry check', () => {
  it('passes while the latest build has 10 days or more left', async () => {
    const { expiry } = await runner.runWorkflow(
      recipe('Nightly: fail before the TestFlight build expires')
    )
    const [step] = expiry!.steps
    expect(Number(step!.outputs['expires-in-days'])).toBeGreaterThanOrEqual(10)
    expect(expiry!.result).toBe('success')
  })
})
