// The pull-request comment against an App Store Connect that echoes secrets back and sends
// Markdown: the comment is the one place the runner's masking does not reach.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction, type ActionRun, type RunActionOptions } from '../../local-runner/run-action.js'
import { startGitHubStandIn, type GitHubStandIn } from '../support/github-api.js'
import {
  buildsPage,
  errorBody,
  hostileBuild,
  sendJson,
  startHostileApi,
  type HostileApi
} from '../support/hostile-api.js'
import { makeTestKey } from '../support/keys.js'

const key = makeTestKey()
let api: HostileApi
let github: GitHubStandIn
let folder: string
let pullRequestEnv: Record<string, string>

beforeAll(async () => {
  api = await startHostileApi()
  github = await startGitHubStandIn()
  folder = mkdtempSync(join(tmpdir(), 'hostile-github-e2e-'))
  writeFileSync(join(folder, 'event.json'), JSON.stringify({ pull_request: { number: 7 } }))
  pullRequestEnv = {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: join(folder, 'event.json'),
    GITHUB_REPOSITORY: 'acme/weather',
    GITHUB_API_URL: github.url
  }
})
afterAll(async () => {
  await api?.close()
  await github?.close()
  rmSync(folder, { recursive: true, force: true })
})
beforeEach(() => {
  github.comments.length = 0
  github.requests.length = 0
  github.forbidden = false
  github.hang = false
  github.loopingLink = false
  const build = hostileBuild()
  api.answer((_request, response) => sendJson(response, 200, buildsPage([build])))
})

function run(
  inputs: Record<string, string> = {},
  options: RunActionOptions = {}
): Promise<ActionRun> {
  return runAction(
    {
      'issuer-id': randomUUID(),
      'key-id': 'HOSTILE001',
      'private-key': key.pem,
      'api-base-url': api.url,
      'app-id': '1600000001',
      'pr-comment': 'true',
      'github-token': 'ghs_installation_token',
      ...inputs
    },
    { ...options, env: { ...pullRequestEnv, ...options.env } }
  )
}

/** The text a reader sees: numeric and common named entities decoded. */
function rendered(html: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' }
  return html
    .replace(/&#(\d+);/g, (_entity, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&(amp|lt|gt|quot);/g, (_entity, name: string) => named[name]!)
}

describe('secrets never reach the comment or the summary', () => {
  it('a 401 that echoes the Authorization header and the key: every token and key form is ***', async () => {
    const keyLines = key.pem
      .split('\n')
      .filter(line => line.length > 20 && !line.startsWith('-----'))
    api.answer((request, response) =>
      sendJson(
        response,
        401,
        errorBody(
          401,
          'NOT_AUTHORIZED',
          `Got Authorization: ${request.headers.authorization}; key ${key.bareBody} / ${keyLines.join(' ')} / ${key.escaped}`
        )
      )
    )
    const result = await run()
    expect(result.exitCode).toBe(1)
    // Two tokens: the first, and the one minted for the single retry.
    const tokens = api.requests.map(request => request.authorization!.replace(/^Bearer /, ''))
    expect(tokens).toHaveLength(2)
    expect(github.comments).toHaveLength(1)
    for (const html of [github.comments[0]!.body, result.summary]) {
      const published = rendered(html)
      expect(published).toMatch(/The step failed:/)
      expect(published).toContain('Got Authorization: Bearer ***; key ***')
      for (const token of tokens) {
        expect(published).not.toContain(token)
        expect(published).not.toContain(token.split('.')[2])
      }
      expect(published).not.toContain(key.bareBody.slice(0, 40))
      for (const line of keyLines) expect(published).not.toContain(line)
      expect(published).not.toMatch(/eyJ[\w-]{10,}\.eyJ/)
    }
  })
})

describe('text from the API in the comment stays in its cell', () => {
  it('a detail with blank lines, a heading, a link and a mention', async () => {
    api.answer((_request, response) =>
      sendJson(
        response,
        404,
        errorBody(404, 'NOT_FOUND', '\n\n# Hello\n\n[click](https://evil.example) @octocat\n\n')
      )
    )
    const result = await run()
    expect(result.exitCode).toBe(1)
    const body = github.comments[0]!.body
    expect(body).not.toMatch(/\n\s*\n/)
    for (const line of body.split('\n').filter(Boolean)) expect(line).toMatch(/^</)
    expect(body.replace(/&#?\w+;/g, '')).not.toMatch(/[[\]@#]/)
  })
})
