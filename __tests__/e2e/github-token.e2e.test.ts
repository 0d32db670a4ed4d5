// The job's GitHub token as github.com issues it today: about 520 characters in the stateless
// (JWT) format, or 40 in the classic one. It is opaque to the action: read only for the
// comment, never checked for a format, and masked whole.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import {
  GITHUB_ACTIONS_LOGIN,
  startGitHubStandIn,
  type GitHubStandIn
} from '../support/github-api.js'
import { classicInstallationToken, statelessInstallationToken } from '../support/github-tokens.js'
import { expectedAnswer, startE2e, type E2eContext } from './harness.js'

let e2e: E2eContext
let github: GitHubStandIn

beforeAll(async () => {
  e2e = await startE2e()
  github = await startGitHubStandIn()
})
afterAll(async () => {
  await e2e?.sandbox.close()
  await github?.close()
})
beforeEach(() => github.reset())

/** The masks the runner is asked for. */
const masks = (stdout: string): string[] =>
  stdout
    .split('\n')
    .filter(line => line.startsWith('::add-mask::'))
    .map(line => line.slice('::add-mask::'.length))

describe('github-token', () => {
  it('a 520-character token in the new format: the comment is posted with it, and it is masked whole', async () => {
    const token = statelessInstallationToken()
    expect(token.length).toBeGreaterThanOrEqual(500)
    const answer = expectedAnswer(e2e.sandbox.catalogue, { appId: e2e.weather.id })
    const result = await e2e.run(
      { 'app-id': e2e.weather.id, 'pr-comment': 'true', 'github-token': token },
      { env: github.pullRequestEnv }
    )
    expect(result.errors).toEqual([])
    expect(result.exitCode).toBe(0)
    expect(result.outputs['build-id']).toBe(answer.build.id)
    expect(github.comments).toHaveLength(1)
    expect(github.comments[0]!.user.login).toBe(GITHUB_ACTIONS_LOGIN)
    expect(github.requests.every(request => request.authorization?.endsWith(token))).toBe(true)
    expect(masks(result.stdout)).toContain(token)
    expect(result.stdout.replaceAll(`::add-mask::${token}`, '')).not.toContain(token.slice(-40))
  })

  it('a 520-character token without pr-comment: never read, the run as usual', async () => {
    const token = statelessInstallationToken()
    const result = await e2e.run(
      { 'app-id': e2e.weather.id, 'github-token': token },
      { env: github.pullRequestEnv }
    )
    expect(result.errors).toEqual([])
    expect(result.exitCode).toBe(0)
    expect(result.outputs.found).toBe('true')
    expect(github.requests).toEqual([])
    expect(masks(result.stdout)).not.toContain(token)
    // Unread, whatever it holds: even a value past any length taken when commenting.
    const huge = await e2e.run({ 'app-id': e2e.weather.id, 'github-token': 'x'.repeat(20_000) })
    expect(huge.errors).toEqual([])
    expect(huge.outputs.found).toBe('true')
  })

  it('a 40-character classic token, with pr-comment', async () => {
    const token = classicInstallationToken()
    expect(token).toHaveLength(40)
    const result = await e2e.run(
      { 'app-id': e2e.weather.id, 'pr-comment': 'true', 'github-token': token },
      { env: github.pullRequestEnv }
    )
    expect(result.errors).toEqual([])
    expect(github.comments).toHaveLength(1)
    expect(github.requests[0]!.authorization).toBe(`token ${token}`)
    expect(masks(result.stdout)).toContain(token)
  })

  it('a token longer than any HTTP header carries, with pr-comment: refused unread, before any request', async () => {
    const result = await e2e.run(
      { 'app-id': e2e.weather.id, 'pr-comment': 'true', 'github-token': 'x'.repeat(8193) },
      { env: github.pullRequestEnv }
    )
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      'Invalid input: github-token is 8193 characters long, more than the 8192 it takes (not shown).'
    ])
    expect(github.requests).toEqual([])
  })
})
