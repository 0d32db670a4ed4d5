// action.yml is what GitHub reads: valid for node24, everything described, and in step with
// the inputs the code reads and the outputs it writes.
import { describe, expect, it } from '@jest/globals'
import { Ajv } from 'ajv'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { INPUT_DEFAULTS, readSettings } from '../src/inputs.js'
import { OUTPUT_NAMES } from '../src/report/outputs.js'

interface Metadata {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>
  outputs: Record<string, { description: string }>
}

const metadata = parse(readFileSync('action.yml', 'utf8')) as Metadata
const schema = JSON.parse(readFileSync('schemas/action.schema.json', 'utf8')) as object

describe('action.yml', () => {
  it('is valid action metadata for a node24 action, with branding and every input and output described', () => {
    const validate = new Ajv({ allErrors: true }).compile(schema)
    const valid = validate(metadata)
    expect(validate.errors ?? []).toEqual([])
    expect(valid).toBe(true)
  })

  it('declares exactly the inputs the code reads (github-token only for the comment)', () => {
    const askedWith = (prComment: string): Set<string> => {
      const asked = new Set<string>()
      try {
        readSettings(
          name => {
            asked.add(name)
            return name === 'pr-comment' ? prComment : ''
          },
          () => {}
        )
      } catch {
        // Empty required inputs are refused; every input has been read by then.
      }
      return asked
    }
    expect(Object.keys(metadata.inputs).sort()).toEqual([...askedWith('true')].sort())
    const withoutComment = Object.keys(metadata.inputs).filter(name => name !== 'github-token')
    expect([...askedWith('false')].sort()).toEqual(withoutComment.sort())
  })

  it('gives each input the default the code applies when it is unset', () => {
    for (const [name, input] of Object.entries(metadata.inputs)) {
      const declared = name === 'github-token' ? '' : (input.default ?? '')
      expect({ name, default: declared }).toEqual({
        name,
        default: INPUT_DEFAULTS[name as keyof typeof INPUT_DEFAULTS]
      })
    }
    expect(metadata.inputs['github-token']?.default).toBe('${{ github.token }}')
  })

  it('marks as required exactly the inputs the code cannot do without', () => {
    const required = Object.entries(metadata.inputs)
      .filter(([, input]) => input.required)
      .map(([name]) => name)
    expect(required.sort()).toEqual(['key-id', 'private-key'])
  })

  it('declares exactly the outputs the code writes', () => {
    expect(Object.keys(metadata.outputs).sort()).toEqual([...OUTPUT_NAMES].sort())
  })
})
