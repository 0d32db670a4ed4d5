// The README's first command and the workflow self-test, run as a newcomer and CI run them:
// the TypeScript tools started from source with node --import tsx, no compile step.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseOutputFile, ROOT, runAction } from '../../local-runner/run-action.js'
// @ts-expect-error: a plain ES module script without types
import { nodeProblem } from '../../scripts/check-node.mjs'

const FROM_SOURCE = ['--import', 'tsx']

const cleanEnv = (): Record<string, string> =>
  Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith('ASC_')
    )
  )

function runNode(
  args: string[],
  env: Record<string, string>
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', chunk => (stdout += chunk))
    child.stderr.on('data', chunk => (stderr += chunk))
    child.on('error', reject)
    child.on('close', code => resolve({ code, stdout, stderr }))
  })
}

const demo = (...inputs: string[]) =>
  runNode([...FROM_SOURCE, 'local-runner/demo.ts', ...inputs], cleanEnv())

describe('npm start', () => {
  it('runs the bundled action against the sandbox and prints its outputs and summary', async () => {
    const { code, stdout } = await demo()
    expect(code).toBe(0)
    expect(stdout).toMatch(/App Store Connect sandbox at http:\/\/127\.0\.0\.1:\d+: \d+ builds/)
    expect(stdout).toMatch(/Requests made: 2\n/)
    expect(stdout).toMatch(/^found=true$/m)
    expect(stdout).toMatch(/^build-id=[0-9a-f-]{36}$/m)
    expect(stdout).toMatch(/--- job summary ---\n<h3>Build /)
    expect(stdout).toMatch(/The action exited with 0/)
    expect(stdout).not.toMatch(/::add-mask::|BEGIN PRIVATE KEY/)
  })

  it('shows a wait live with --wait: an upload goes from AWAITING_UPLOAD to VALID', async () => {
    const { code, stdout } = await demo('--wait')
    expect(code).toBe(0)
    expect(stdout).toMatch(/Uploading build (\d+) of com\.example\.weather/)
    const number = /Uploading build (\d+)/.exec(stdout)![1]
    expect(stdout).toMatch(/-> upload AWAITING_UPLOAD/)
    expect(stdout).toMatch(/-> build PROCESSING/)
    expect(stdout).toMatch(
      new RegExp(`build ${number} \\(3\\.2\\.0, IOS\\) is ready after \\d+ s\\.`)
    )
    // One spelling of the train in the whole wait, though the build's train is 3.2.
    expect(stdout).not.toMatch(/\(3\.2, IOS\)/)
    expect(stdout).toMatch(new RegExp(`^build-number=${number}$`, 'm'))
  }, 60_000)

  it('uploads for the platform asked for with --wait platform=macos', async () => {
    const { code, stdout } = await demo('--wait', 'platform=macos')
    expect(code).toBe(0)
    expect(stdout).toMatch(/Uploading build \d+ of com\.example\.weather for MAC_OS/)
    expect(stdout).toMatch(/build \d+ \(3\.2\.0, MAC_OS\) is ready after \d+ s\./)
    expect(stdout).toMatch(/^platform=MAC_OS$/m)
  }, 60_000)

  it('shows the live App Store build with app-store-state=READY_FOR_DISTRIBUTION', async () => {
    const { code, stdout } = await demo('app-store-state=READY_FOR_DISTRIBUTION')
    expect(code).toBe(0)
    expect(stdout).toMatch(/Requests made: 2\n/)
    expect(stdout).toMatch(/^app-store-state=READY_FOR_DISTRIBUTION$/m)
    expect(stdout).toMatch(/^app-store-version=\d+(\.\d+)*$/m)
  })

  it('passes extra inputs through', async () => {
    const { code, stdout } = await demo('platform=macos', 'latest-by=build-number')
    expect(code).toBe(0)
    expect(stdout).toMatch(/^platform=MAC_OS$/m)
    expect(stdout).toMatch(/the highest-numbered of/)
  })

  it('takes an app-id from the command line in place of the default bundle-id', async () => {
    const { code, stdout } = await demo('app-id=1600000001')
    expect(code).toBe(0)
    expect(stdout).toMatch(/Requests made: 1\n/)
    expect(stdout).toMatch(/^found=true$/m)
    expect(stdout).toMatch(/^app-id=1600000001$/m)
  })

  it('warns in the log about an input action.yml does not declare, as the runner does', async () => {
    const { code, stdout } = await demo('platfrom=macos')
    expect(code).toBe(0)
    expect(stdout).toMatch(
      /^##\[warning\]Unexpected input\(s\) 'platfrom', valid inputs are \['issuer-id', 'key-id', .*'platform', .*\]$/m
    )
    // Passed on all the same, so the action ignores it and keeps its default platform.
    expect(stdout).toMatch(/^found=true$/m)
  })

  it('prints usage, not a stack trace, for an argument without =', async () => {
    const { code, stdout, stderr } = await demo('platform')
    expect(code).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toMatch(
      /^"platform" is not an input: give inputs as name=value\.\n\nUsage: npm start -- /
    )
    expect(stderr).toMatch(/npm start -- app-id=1600000001/)
    expect(stderr).not.toMatch(/^\s+at /m)
  })

  it('prints usage for --help', async () => {
    const { code, stdout } = await demo('--help')
    expect(code).toBe(0)
    expect(stdout).toMatch(/^Usage: npm start -- \[input=value \.\.\.\]/)
    expect(stdout).toMatch(/min-days-until-expiry/)
  })
})

describe('.env.example', () => {
  it('names every ASC_* variable the demo reads, all empty so that a copy runs the sandbox', () => {
    const read = new Set(
      readFileSync(join(ROOT, 'local-runner/demo.ts'), 'utf8').match(/\bASC_[A-Z_]+/g)
    )
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8')
    const names = [...example.matchAll(/^(ASC_[A-Z_]+)=(.*)$/gm)]
    expect(names.map(match => match[1]).sort()).toEqual([...read].sort())
    expect(names.every(match => match[2] === '')).toBe(true)
  })
})

describe('the Node check before npm start and npm test', () => {
  let root: string
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'check-node-'))
  })
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('says to run npm ci when nothing is installed', () => {
    expect(nodeProblem('24.21.0', root)).toEqual({
      problem: 'The dependencies are not installed.',
      fix: 'npm ci'
    })
  })

  it('says to run npm rebuild node when the pinned Node was never installed', () => {
    mkdirSync(join(root, 'node_modules'))
    writeFileSync(join(root, 'node_modules', '.package-lock.json'), '{}')
    expect(nodeProblem('24.21.0', root)).toBeNull()
    const found = nodeProblem('20.20.2', root)
    expect(found.fix).toBe('npm rebuild node')
    expect(found.problem).toMatch(/^Node 20\.20\.2 is running this, .*--ignore-scripts/)
  })

  it('says to go through npm when the pinned Node is there but not used', () => {
    mkdirSync(join(root, 'node_modules', 'node', 'bin'), { recursive: true })
    expect(nodeProblem('22.1.0', root).fix).toMatch(/^npm start, npm test/)
  })
})

describe('the self-test sandbox', () => {
  let server: ChildProcess
  let folder: string
  let inputs: Record<string, string>

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'serve-sandbox-'))
    const outputFile = join(folder, 'github-output')
    writeFileSync(outputFile, '')
    server = spawn(
      process.execPath,
      [...FROM_SOURCE, 'local-runner/serve-sandbox.ts', '--github-output', outputFile],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit']
      }
    )
    await new Promise<void>((resolve, reject) => {
      server.stdout!.on('data', chunk => String(chunk).includes('sandbox ready') && resolve())
      server.on('exit', code => reject(new Error(`serve-sandbox exited with ${code}`)))
    })
    inputs = parseOutputFile(readFileSync(outputFile, 'utf8'))
  })
  afterAll(() => {
    server?.kill('SIGTERM')
    rmSync(folder, { recursive: true, force: true })
  })

  it('hands the workflow the inputs that reach it, and serves the action', async () => {
    expect(Object.keys(inputs).sort()).toEqual([
      'api-base-url',
      'issuer-id',
      'key-id',
      'private-key'
    ])
    const result = await runAction({
      ...inputs,
      'bundle-id': 'com.example.weather',
      'min-days-until-expiry': '30'
    })
    expect(result.errors).toEqual([])
    expect(result.outputs.found).toBe('true')
  })
})
