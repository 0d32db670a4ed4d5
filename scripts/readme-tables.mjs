// Keeps the README generated where it restates action.yml and package.json, so they never
// drift: the usage block, the inputs and outputs tables, the count of outputs beyond the
// headline table, and the `uses:` lines (the repository from package.json's `repository`
// field, or the placeholder `<owner>/<repo>` defined once at the top). `--check` fails
// instead of writing.
import { readFileSync, writeFileSync } from 'node:fs'
import * as prettier from 'prettier'
import { parse } from 'yaml'
import { actionRef, PLACEHOLDER, repositoryOf } from './action-ref.mjs'

const metadata = parse(readFileSync('action.yml', 'utf8'))
const manifest = JSON.parse(readFileSync('package.json', 'utf8'))
const ref = actionRef(manifest)
const repository = repositoryOf(manifest)
const cell = text => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ')
const defaultOf = input =>
  input.default === undefined || input.default === '' ? '' : input.default

function usageBlock() {
  const lines = ['```yaml', `- uses: ${ref}`, '  with:']
  for (const [name, input] of Object.entries(metadata.inputs)) {
    for (const line of wrap(input.description + (input.required ? ' Required.' : ''), 88))
      lines.push(`    # ${line}`)
    const value = defaultOf(input)
    lines.push(
      `    ${name}: ${value === '' || /^(true|false|\d+)$/.test(value) ? `'${value}'` : value}`,
      ''
    )
  }
  lines.pop()
  lines.push('```')
  return lines.join('\n')
}

function inputsTable() {
  const rows = Object.entries(metadata.inputs).map(
    ([name, input]) =>
      `| \`${name}\` | ${input.required ? 'yes' : 'no'} | ${defaultOf(input) === '' ? '' : `\`${cell(defaultOf(input))}\``} | ${cell(input.description)} |`
  )
  return ['| input | required | default | description |', '|---|---|---|---|', ...rows].join('\n')
}

function outputsTable() {
  const rows = Object.entries(metadata.outputs).map(
    ([name, output]) => `| \`${name}\` | ${cell(output.description)} |`
  )
  return ['| output | description |', '|---|---|', ...rows].join('\n')
}

function wrap(text, width) {
  const lines = []
  let line = ''
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines
}

/** Where the README first says what the `uses:` lines stand for. */
function usesNote() {
  const major = ref.split('@')[1]
  const example = repository ?? 'octo-org/asc-latest-build'
  const pinning =
    `\`@${major}\` follows every ${major}.x.y release; pin an exact release ` +
    `(\`@${major}.0.0\`) or its commit SHA to move only when you choose. Before the first ` +
    `release, when no \`${major}\` tag exists yet, pin a commit by its full SHA ` +
    `(\`uses: ${repository ?? PLACEHOLDER}@<40-character commit SHA>\`, from \`git ls-remote\` or ` +
    `the repository's commit list): a branch name would move under you, and a short SHA is refused.`
  return repository
    ? `The examples use \`${ref}\`. ${pinning}`
    : `In the examples, replace \`${PLACEHOLDER}\` with the repository this action is ` +
        `published from (for example \`${example}@${major}\`). ${pinning}`
}

/** `…and [N more](#outputs)` after the headline table: N counted from action.yml. */
function countMoreOutputs(text) {
  const lines = text.split('\n')
  const at = lines.findIndex(line => /…and \[[^\]]* more\]\(#outputs\)/.test(line))
  if (at < 0) {
    console.error('README.md has no "…and [N more](#outputs)" line after the headline outputs.')
    process.exit(1)
  }
  const shown = []
  let index = at - 1
  while (index >= 0 && lines[index].trim() === '') index--
  for (; index >= 0 && lines[index].startsWith('|'); index--) {
    const name = /^\|\s*`([^`]+)`/.exec(lines[index])
    if (name) shown.unshift(name[1])
  }
  const unknown = shown.filter(name => !(name in metadata.outputs))
  if (shown.length === 0 || unknown.length > 0) {
    console.error(
      `The headline outputs table above "…and N more" must name outputs of action.yml: ${unknown.join(', ') || 'none found'}.`
    )
    process.exit(1)
  }
  const more = Object.keys(metadata.outputs).length - shown.length
  lines[at] = lines[at].replace(/…and \[[^\]]* more\]/, `…and [${more} more]`)
  return lines.join('\n')
}

/** Every `uses:` line naming this action, with the reference from package.json. */
function rewriteUses(text) {
  const names = [PLACEHOLDER, repository]
    .filter(Boolean)
    .map(name => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
  const pattern = new RegExp(`^(\\s*(?:- )?uses: )(?:${names.join('|')})@v\\d+$`, 'gm')
  return text.replace(pattern, (_match, head) => `${head}${ref}`)
}

const sections = {
  uses: wrap(usesNote(), 92).join('\n'),
  usage: usageBlock(),
  inputs: inputsTable(),
  outputs: outputsTable()
}
const readme = readFileSync('README.md', 'utf8')
let generated = countMoreOutputs(rewriteUses(readme))
for (const [name, content] of Object.entries(sections)) {
  const pattern = new RegExp(`(<!-- generated:${name} -->)[\\s\\S]*?(<!-- /generated:${name} -->)`)
  if (!pattern.test(generated)) {
    console.error(
      `README.md has no <!-- generated:${name} --> ... <!-- /generated:${name} --> block.`
    )
    process.exit(1)
  }
  generated = generated.replace(pattern, (_match, start, end) => `${start}\n\n${content}\n\n${end}`)
}

// Formatted as `npm run format` would, so the two checks never disagree.
const options = (await prettier.resolveConfig('README.md')) ?? {}
generated = await prettier.format(generated, { ...options, filepath: 'README.md' })

if (process.argv.includes('--check')) {
  if (generated !== readme) {
    console.error(
      'README.md is out of date with action.yml or package.json: run npm run readme and commit README.md.'
    )
    process.exit(1)
  }
  console.log('README.md matches action.yml and package.json')
} else {
  writeFileSync('README.md', generated)
}
