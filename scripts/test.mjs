// `npm test`: every check and the jest suites side by side (most of the suites' time is spent
// waiting on loopback servers, not on the CPU). Each check's output is printed whole when it
// ends, so its lines never interleave with jest's.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

const CHECKS = [
  ['types', 'tsc', ['--noEmit']],
  ['lint', 'eslint', ['.']],
  ['no import cycle in src/', 'node', ['scripts/check-import-cycles.mjs']],
  ['format', 'prettier', ['--check', '.', '--log-level', 'warn']],
  ['README tables', 'node', ['scripts/readme-tables.mjs', '--check']],
  ['workflows and README recipes', 'node', ['scripts/check-workflows.mjs']],
  ['every input and output in the CHANGELOG', 'node', ['scripts/check-changelog.mjs']],
  ['dist/ is a fresh build of src/', 'node', ['scripts/check-dist.mjs']]
]

/** Runs a command, resolving with its exit code and everything it printed. */
function runQuietly(command, args) {
  return new Promise(resolve => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', chunk => (output += chunk))
    child.stderr.on('data', chunk => (output += chunk))
    child.on('error', error => resolve({ code: 1, output: `${output}${error.message}\n` }))
    child.on('close', code => resolve({ code, output }))
  })
}

const started = performance.now()
const report = join(mkdtempSync(join(tmpdir(), 'jest-report-')), 'report.json')
const jest = new Promise(resolve => {
  const args = [...process.argv.slice(2), '--json', `--outputFile=${report}`]
  const child = spawn('jest', args, { stdio: ['ignore', 'inherit', 'inherit'] })
  child.on('error', () => resolve(1))
  child.on('close', code => resolve(code ?? 1))
})
const seconds = () => ((performance.now() - started) / 1000).toFixed(1)
const results = await Promise.all(
  CHECKS.map(async ([name, command, args]) => {
    const { code, output } = await runQuietly(command, args)
    console.log(`${code === 0 ? 'ok  ' : 'FAIL'} ${name} (${seconds()} s)`)
    if (code !== 0 || output.trim()) process.stdout.write(output.replace(/^/gm, '     '))
    return code === 0
  })
)
const jestCode = await jest
if (existsSync(report)) {
  const { numPassedTests, numFailedTests } = JSON.parse(readFileSync(report, 'utf8'))
  console.log(`jest: ${numPassedTests} passed, ${numFailedTests} failed`)
}
rmSync(dirname(report), { recursive: true, force: true })
const failed = CHECKS.filter((_, index) => !results[index]).map(([name]) => name)
if (jestCode !== 0) failed.push('jest')
console.log(
  failed.length === 0
    ? `Every check and test passed in ${seconds()} s.`
    : `Failed: ${failed.join(', ')} (see above).`
)
process.exit(failed.length === 0 ? 0 : 1)
