// The CHANGELOG check in `npm test`: an input or output of action.yml that the changelog never
// names fails it.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
// @ts-expect-error: a plain ES module script without types
import { changelogProblems } from '../scripts/check-changelog.mjs'

const ACTION = `
inputs:
  app-id:
    description: x
  wait-minutes:
    description: x
outputs:
  found:
    description: x
  build-number:
    description: x
`

describe('the CHANGELOG check', () => {
  it('passes a changelog that names every input and output as code', () => {
    const changelog = '## [1.0.0]\n\n- `app-id`, `wait-minutes`; outputs `found`, `build-number`.\n'
    expect(changelogProblems(ACTION, changelog)).toEqual([])
  })

  it('names each input and output missing, and what to add', () => {
    expect(changelogProblems(ACTION, '## [1.0.0]\n\n- `app-id`, `found`.\n')).toEqual([
      'The input "wait-minutes" of action.yml is not in CHANGELOG.md: add an entry that names it as `wait-minutes`.',
      'The output "build-number" of action.yml is not in CHANGELOG.md: add an entry that names it as `build-number`.'
    ])
  })

  it('counts a name only as code, and only whole', () => {
    const changelog = 'app-id and wait-minutes in prose; `found-x`, `build-number: 5`.\n'
    expect(changelogProblems(ACTION, changelog)).toHaveLength(4)
  })

  it('passes on the repository as it is, and runs in npm test', () => {
    expect(
      changelogProblems(readFileSync('action.yml', 'utf8'), readFileSync('CHANGELOG.md', 'utf8'))
    ).toEqual([])
    expect(readFileSync('scripts/test.mjs', 'utf8')).toContain("'scripts/check-changelog.mjs'")
  })
})
