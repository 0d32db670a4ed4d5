// The pull-request comment against planted comments, a hanging or looping GitHub API, and an
// App Store Connect that echoes secrets back: the comment is the one place the runner's
// masking does not reach.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { randomUUID } from 'node:crypto'
import { runAction, type ActionRun, type RunActionOptions } from '../../local-runner/run-action.js'
import {
  GITHUB_ACTIONS_LOGIN,
  startGitHubStandIn,
  type GitHubStandIn
} from '../support/github-api.js'
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
let pullRequestEnv: Record<string, string>

beforeAll(async () => {
  api = await startHostileApi()
  github = await startGitHubStandIn()
  pullRequestEnv = github.pullRequestEnv
})
afterAll(async () => {
  await api?.close()
  await github?.close()
})
beforeEach(() => {
  github.reset()
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

/** Runs once so that the action posts its own comment, and returns the marker it used. */
async function ownMarker(inputs: Record<string, string> = {}): Promise<string> {
  await run(inputs)
  const marker = /^<!-- app-store-connect-latest-build:[0-9a-f]{16} -->/.exec(
    github.comments.at(-1)?.body ?? ''
  )?.[0]
  if (!marker) throw new Error('the action posted no comment with a marker')
  return marker
}

describe('only a comment the token’s identity wrote counts as the action’s', () => {
  it('a planted marker is ignored (GITHUB_TOKEN): the action posts its own, as github-actions[bot]', async () => {
    const marker = await ownMarker()
    github.reset()
    github.comments.push({ id: 1, body: `${marker}\nplanted`, user: { login: 'mallory' } })

    const result = await run()
    expect(result.exitCode).toBe(0)
    expect(result.stdout).not.toMatch(/::warning::/)
    expect(github.comments[0]).toEqual({
      id: 1,
      body: `${marker}\nplanted`,
      user: { login: 'mallory' }
    })
    expect(github.comments).toHaveLength(2)
    expect(github.comments[1]!.user.login).toBe(GITHUB_ACTIONS_LOGIN)
    expect(github.comments[1]!.body).toMatch(/<h3>Build 630/)
    expect(github.requests.map(request => `${request.method} ${request.path}`)).toEqual([
      'GET /repos/acme/weather/issues/7/comments',
      'GET /user',
      'POST /repos/acme/weather/issues/7/comments'
    ])
    expect(result.stdout).toMatch(
      /ignored 1 comment\(s\) carrying this action's marker that github-actions\[bot\] did not write \(1 by mallory\)/
    )

    // The next run updates its own comment, and still leaves the planted one alone.
    const again = await run()
    expect(again.exitCode).toBe(0)
    expect(github.comments).toHaveLength(2)
    expect(github.comments[0]!.body).toBe(`${marker}\nplanted`)
    expect(again.stdout).toMatch(/pr-comment: updated comment \d+ on pull request #7/)
  })

  it('with a personal token, GET /user names the identity: the user’s own comment is updated', async () => {
    const token = 'ghp_release-bot'
    const marker = await ownMarker({ 'github-token': token })
    const own = github.comments[0]!
    expect(own.user.login).toBe('release-bot')
    github.comments.unshift({ id: 2, body: `${marker}\nplanted`, user: { login: 'mallory' } })
    github.comments.push({
      id: 3,
      body: `${marker}\nby the bot`,
      user: { login: GITHUB_ACTIONS_LOGIN }
    })

    const result = await run({ 'github-token': token })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).not.toMatch(/::warning::/)
    expect(result.stdout).toMatch(new RegExp(`pr-comment: updated comment ${own.id} `))
    expect(github.comments.map(comment => comment.body.split('\n')[1])).toEqual([
      'planted',
      expect.stringMatching(/^<h3>Build 630/),
      'by the bot'
    ])
  })
})

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

describe('GitHub’s API cannot hold the step or loop it', () => {
  it('an API that never answers is given up after timeout-seconds: a warning, the step green', async () => {
    github.hang = true
    const result = await run({ 'timeout-seconds': '2' }, { timeoutMs: 40_000 })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.found).toBe('true')
    expect(result.durationMs).toBeLessThan(15_000)
    expect(result.stdout).toMatch(
      /::warning::pr-comment: the comment could not be posted: .*GitHub's API did not answer within 2 s \(timeout-seconds\)/
    )
  })

  it('a Link header that loops is followed for 50 pages at most', async () => {
    github.loopingLink = true
    const result = await run({}, { timeoutMs: 40_000 })
    expect(result.exitCode).toBe(0)
    const lists = github.requests.filter(
      request => request.method === 'GET' && request.path.endsWith('/comments')
    )
    expect(lists).toHaveLength(50)
    expect(result.stdout).toMatch(
      /pr-comment: read the first 5000 comments of pull request #7 only/
    )
    expect(github.comments).toHaveLength(1)
  })
})

describe('the comment is inside the run’s deadline, after the summary', () => {
  it('a GitHub API that answers after 4 s gets what is left of total-timeout-minutes, then a warning', async () => {
    github.delayMs = 4000
    const result = await run({ 'total-timeout-minutes': '0.1' }, { timeoutMs: 40_000 })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.found).toBe('true')
    // 6 s in all: the pages of comments share the run's deadline, not timeout-seconds (30 s) each.
    expect(result.durationMs).toBeLessThan(9_000)
    expect(result.stdout).toMatch(
      /::warning::pr-comment: the run reached its time limit, total-timeout-minutes \(6 s\), while the comment was posted, so it may not be up to date\. Raise total-timeout-minutes/
    )
    expect(result.summary).toMatch(/<h3>Build 630/)
  })

  it('nothing left once the search has used the whole deadline: no comment, a warning, the summary', async () => {
    api.answer(() => undefined)
    const result = await run({ 'total-timeout-minutes': '0.1' }, { timeoutMs: 40_000 })
    expect(result.exitCode).toBe(1)
    expect(result.errors[0]).toMatch(/time limit, total-timeout-minutes \(6 s\)/)
    expect(github.requests).toEqual([])
    expect(result.stdout).toMatch(
      /::warning::pr-comment: skipped, the run reached its time limit, total-timeout-minutes \(6 s\), before the comment could be posted/
    )
    expect(result.summary).toMatch(/No App Store Connect build found/)
  })

  it('SIGTERM while the comment is posted: the comment stops at once, the summary and outputs stay', async () => {
    github.delayMs = 4000
    const result = await run(
      {},
      { timeoutMs: 40_000, interrupt: { signal: 'SIGTERM', when: github.nextRequest() } }
    )
    expect(result.exitAfterSignalMs).toBeLessThan(2_000)
    expect(result.outputs.found).toBe('true')
    expect(result.summary).toMatch(/<h3>Build 630/)
    expect(result.stdout).toMatch(
      /::warning::pr-comment: the job was cancelled while the comment was posted/
    )
  })
})
