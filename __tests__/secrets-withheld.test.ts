// Why a run got no repository secrets: a pull request from a fork or from Dependabot.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { secretsWithheldReason } from '../src/secrets-withheld.js'

let folder: string
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'secrets-withheld-'))
})
afterAll(() => rmSync(folder, { recursive: true, force: true }))

/** An event payload file, as the runner writes it. */
function event(name: string, payload: unknown): string {
  const path = join(folder, `${name}.json`)
  writeFileSync(path, typeof payload === 'string' ? payload : JSON.stringify(payload))
  return path
}

const pullRequest = (head: string, base: string): object => ({
  pull_request: { head: { repo: { full_name: head } }, base: { repo: { full_name: base } } }
})

describe('secretsWithheldReason', () => {
  it('says "from a fork" for a pull request whose head is another repository', () => {
    const path = event('fork', pullRequest('mallory/weather', 'acme/weather'))
    for (const name of ['pull_request', 'pull_request_target', 'pull_request_review']) {
      expect(
        secretsWithheldReason({
          GITHUB_EVENT_NAME: name,
          GITHUB_EVENT_PATH: path,
          GITHUB_ACTOR: 'x'
        })
      ).toBe('from a fork')
    }
  })

  it('says "from Dependabot" when Dependabot started the run, whatever the payload', () => {
    expect(
      secretsWithheldReason({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_ACTOR: 'dependabot[bot]' })
    ).toBe('from Dependabot')
  })

  it('says nothing for a pull request from the repository itself', () => {
    const path = event('same', pullRequest('acme/weather', 'acme/weather'))
    expect(
      secretsWithheldReason({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: path })
    ).toBeUndefined()
  })

  it('says nothing outside pull requests, even for Dependabot or a fork’s payload', () => {
    const path = event('push', pullRequest('mallory/weather', 'acme/weather'))
    for (const name of ['push', 'workflow_dispatch', 'a_pull_request', undefined]) {
      expect(
        secretsWithheldReason({
          GITHUB_EVENT_NAME: name,
          GITHUB_EVENT_PATH: path,
          GITHUB_ACTOR: 'dependabot[bot]'
        })
      ).toBeUndefined()
    }
  })

  it.each([
    ['no payload file', undefined],
    ['a payload that is not JSON', 'not json'],
    ['a payload without a pull request', {}],
    ['a payload whose head and base name no repository', { pull_request: { head: {}, base: {} } }],
    [
      'a payload without the head repository',
      { pull_request: { base: { repo: { full_name: 'a/b' } } } }
    ],
    [
      'a payload without the base repository',
      { pull_request: { head: { repo: { full_name: 'a/b' } } } }
    ]
  ])('says nothing with %s', (name, payload) => {
    const path = payload === undefined ? undefined : event(name.replace(/\W/g, '-'), payload)
    expect(
      secretsWithheldReason({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: path })
    ).toBeUndefined()
  })

  it('says nothing when the payload file cannot be read', () => {
    expect(
      secretsWithheldReason({
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: join(folder, 'missing.json')
      })
    ).toBeUndefined()
  })

  it('reads the process environment by default', () => {
    const saved = { name: process.env.GITHUB_EVENT_NAME, actor: process.env.GITHUB_ACTOR }
    Object.assign(process.env, {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_ACTOR: 'dependabot[bot]'
    })
    try {
      expect(secretsWithheldReason()).toBe('from Dependabot')
    } finally {
      for (const [name, value] of [
        ['GITHUB_EVENT_NAME', saved.name],
        ['GITHUB_ACTOR', saved.actor]
      ] as const) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
    }
  })
})
