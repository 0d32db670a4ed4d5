// The README's first command and the workflow self-test, run as a newcomer and CI run them:
// the tools compiled by the build, then started with node.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseOutputFile, ROOT, runAction } from '../../local-runner/run-action.js'

const cleanEnv = (): Record<string, string> =>
  Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith('ASC_')
    )
  )

function runNode(
  args: string[],
  env: Record<string, string>
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'inherit']
    })
    let stdout = ''
    child.stdout.on('data', chunk => (stdout += chunk))
    child.on('error', reject)
    child.on('close', code => resolve({ code, stdout }))
  })
}

beforeAll(() => {
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.tools.json'],
    {
      cwd: ROOT,
      stdio: 'inherit'
    }
  )
}, 120_000)

describe('npm start', () => {
  it('runs the bundled action against the sandbox and prints its outputs and summary', async () => {
    const { code, stdout } = await runNode(['build/local-runner/demo.js'], cleanEnv())
    expect(code).toBe(0)
    expect(stdout).toMatch(/App Store Connect sandbox at http:\/\/127\.0\.0\.1:\d+: \d+ builds/)
    expect(stdout).toMatch(/Requests made: 2\n/)
    expect(stdout).toMatch(/^found=true$/m)
    expect(stdout).toMatch(/^build-id=[0-9a-f-]{36}$/m)
    expect(stdout).toMatch(/--- job summary ---\n<h3>Build /)
    expect(stdout).toMatch(/The action exited with 0/)
    expect(stdout).not.toMatch(/::add-mask::|BEGIN PRIVATE KEY/)
  })

  it('passes extra inputs through', async () => {
    const { code, stdout } = await runNode(
      ['build/local-runner/demo.js', 'platform=macos', 'latest-by=build-number'],
      cleanEnv()
    )
    expect(code).toBe(0)
    expect(stdout).toMatch(/^platform=MAC_OS$/m)
    expect(stdout).toMatch(/the highest-numbered of/)
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
      ['build/local-runner/serve-sandbox.js', '--github-output', outputFile],
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
