// Keeps the README's usage block and its inputs and outputs tables generated from
// action.yml, so the two never drift. `--check` fails instead of writing.
import { readFileSync, writeFileSync } from 'node:fs'
import * as prettier from 'prettier'
import { parse } from 'yaml'

const metadata = parse(readFileSync('action.yml', 'utf8'))
const cell = text => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ')
const defaultOf = input =>
  input.default === undefined || input.default === '' ? '' : input.default

function usageBlock() {
  const lines = ['```yaml', '- uses: <owner>/<repo>@v1', '  with:']
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

const sections = { usage: usageBlock(), inputs: inputsTable(), outputs: outputsTable() }
const readme = readFileSync('README.md', 'utf8')
let generated = readme
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
      'README.md is out of date with action.yml: run npm run readme and commit README.md.'
    )
    process.exit(1)
  }
  console.log('README.md matches action.yml')
} else {
  writeFileSync('README.md', generated)
}
