// Where teams look: the job summary and the pull-request comment, with a stand-in for
// GitHub's REST API on loopback.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../../local-runner/run-action.js'
import { startGitHubStandIn, type GitHubStandIn } from '../support/github-api.js'
import { startE2e, type E2eContext } from './harness.js'

let e2e: E2eContext
let github: GitHubStandIn
let pullRequestEnv: Record<string, string>

beforeAll(async () => {
  e2e = await startE2e()
  github = await startGitHubStandIn()
  pullRequestEnv = github.pullRequestEnv
})
afterAll(async () => {
  await e2e?.sandbox.close()
  await github?.close()
})
beforeEach(() => {
  github.reset()
})

const commentInputs = { 'pr-comment': 'true', 'github-token': 'ghs_standin_token' }

describe('the job summary', () => {
  it('shows the chosen build: number, version, platform, state, dates, days left, icon, link, rate limit', async () => {
    const result = await e2e.run({ 'app-id': e2e.weather.id })
    const { outputs, summary } = result
    expect(summary).toContain(`<td><code>${outputs.version}</code></td>`)
    expect(summary).toContain(`<td><code>${outputs['app-version']}</code></td>`)
    expect(summary).toMatch(/<td>(iOS|macOS|tvOS|visionOS)<\/td>/)
    expect(summary).toContain('<td>VALID</td>')
    expect(summary).toMatch(
      new RegExp(
        `<h3>Build ${outputs.version} \\(${outputs['app-version']}\\) for (iOS|macOS)</h3>`
      )
    )
    // Well-formed: every cell that is opened is closed.
    for (const tag of ['td', 'th', 'tr', 'table']) {
      expect(summary.split(`<${tag}>`).length).toBe(summary.split(`</${tag}>`).length)
    }
    expect(summary).toContain(
      `${outputs['expiration-date']} (${outputs['expires-in-days']} days left)`
    )
    expect(summary).toContain(`<img src="${outputs['icon-url']}"`)
    expect(summary).toContain(
      `<a href="https://appstoreconnect.apple.com/apps/${e2e.weather.id}/testflight/`
    )
    expect(summary).toContain('most recently uploaded build of app')
    expect(summary).toContain('processing state VALID, not expired')
    expect(summary).toMatch(
      new RegExp(`requests left this hour for this key: ${outputs['rate-limit-remaining']} of 3600`)
    )
  })

  it('says what was searched when nothing is found', async () => {
    const result = await e2e.run({
      'app-id': e2e.weather.id,
      'build-number': '424242',
      'fail-if-not-found': 'false'
    })
    expect(result.summary).toContain('No App Store Connect build found')
    expect(result.summary).toContain(
      `Searched for the most recently uploaded build of app ${e2e.weather.id} with processing state VALID, not expired, platform IOS, build number 424242.`
    )
    expect(result.summary).not.toContain('The step failed')
  })

  it('says what was searched, and why the step failed, when the search itself fails', async () => {
    const result = await e2e.run({ 'bundle-id': 'com.example.wether' })
    expect(result.exitCode).toBe(1)
    expect(result.summary).toContain('No App Store Connect build found')
    expect(result.summary).toContain(
      'Searched for the most recently uploaded build of the app (com.example.wether)'
    )
    expect(result.summary).toMatch(
      /<strong>The step failed:<\/strong> No app with bundle id com\.example\.wether/
    )
  })

  it('shows a failed expiry gate beside the build', async () => {
    const soon = e2e.sandbox.catalogue.builds.find(
      build =>
        build.appId === e2e.weather.id &&
        build.processingState === 'VALID' &&
        !build.expired &&
        Date.parse(build.expirationDate) - Date.now() < 30 * 86_400_000 &&
        Date.parse(build.expirationDate) > Date.now()
    )!
    const result = await e2e.run({
      'app-id': e2e.weather.id,
      'build-number': soon.version,
      'min-days-until-expiry': '60'
    })
    expect(result.exitCode).toBe(1)
    expect(result.summary).toContain(`<code>${result.outputs.version}</code>`)
    expect(result.summary).toMatch(
      /<strong>The step failed:<\/strong> Build \S+ of app \d+ expires in \d+ days .*fewer than min-days-until-expiry \(60\)/
    )
  })

  it('is a warning, not a failure, when the runner gives no summary file', async () => {
    const result = await e2e.run({ 'app-id': e2e.weather.id }, { env: { GITHUB_STEP_SUMMARY: '' } })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.found).toBe('true')
    expect(result.stdout).toMatch(/::warning::job-summary: the job summary could not be written/)
    expect(result.stdout).toMatch(/Chose build /)
  })
})

describe('the pull-request comment', () => {
  it('is posted on the first run and updated in place on the next', async () => {
    const first = await e2e.run(
      { 'app-id': e2e.weather.id, ...commentInputs },
      { env: pullRequestEnv }
    )
    expect(first.exitCode).toBe(0)
    expect(github.comments).toHaveLength(1)
    expect(github.comments[0]!.body).toMatch(
      /^<!-- app-store-connect-latest-build:[0-9a-f]{16} -->\n/
    )
    expect(github.comments[0]!.body).toContain(`<code>${first.outputs.version}</code>`)
    expect(github.requests.map(request => request.method)).toEqual(['GET', 'POST'])
    expect(github.requests[0]!.authorization).toMatch(/ghs_standin_token/)

    const second = await e2e.run(
      { 'app-id': e2e.weather.id, ...commentInputs },
      { env: pullRequestEnv }
    )
    expect(second.exitCode).toBe(0)
    expect(github.comments).toHaveLength(1)
    // A comment with the marker: GET /user says whose it may be (the default token's is
    // refused there, so it writes as github-actions[bot]).
    expect(github.requests.map(request => `${request.method} ${request.path}`).slice(2)).toEqual([
      'GET /repos/acme/weather/issues/7/comments',
      'GET /user',
      'PATCH /repos/acme/weather/issues/comments/1000'
    ])
    expect(second.stdout).toMatch(/pr-comment: updated comment 1000 on pull request #7/)
  })

  it('keeps one comment per platform in a matrix', async () => {
    for (const platform of ['ios', 'macos', 'ios']) {
      await e2e.run(
        {
          'bundle-id': 'com.example.weather',
          platform,
          'fail-if-not-found': 'false',
          ...commentInputs
        },
        { env: pullRequestEnv }
      )
    }
    expect(github.comments).toHaveLength(2)
  })

  it('leaves the step green with a warning that says how to fix a 403', async () => {
    github.forbidden = true
    const result = await e2e.run(
      { 'app-id': e2e.weather.id, ...commentInputs },
      { env: pullRequestEnv }
    )
    expect(result.exitCode).toBe(0)
    expect(result.outputs.found).toBe('true')
    expect(result.stdout).toMatch(
      /::warning::pr-comment: the comment could not be posted: .*Resource not accessible by integration.*pull-requests: write/
    )
  })

  it('posts nothing on a push, and says so', async () => {
    const result = await e2e.run(
      { 'app-id': e2e.weather.id, ...commentInputs },
      { env: { ...pullRequestEnv, GITHUB_EVENT_NAME: 'push' } }
    )
    expect(result.exitCode).toBe(0)
    expect(github.requests).toEqual([])
    expect(result.stdout).toMatch(
      /pr-comment: skipped, the workflow runs on push, not on a pull request/
    )
  })

  it('is the only path that loads @actions/github: without its chunk, everything else still runs', async () => {
    const bundle = mkdtempSync(join(tmpdir(), 'bundle-without-github-'))
    try {
      const dist = join(ROOT, 'dist')
      const chunks = readdirSync(dist).filter(file => /^\d+\.index\.js$/.test(file))
      expect(chunks.length).toBeGreaterThan(0)
      cpSync(dist, bundle, {
        recursive: true,
        filter: source => !chunks.some(chunk => source.endsWith(chunk))
      })
      const entry = join(bundle, 'index.js')
      const plain = await e2e.run({ 'app-id': e2e.weather.id }, { entry })
      expect(plain.exitCode).toBe(0)
      const onPush = await e2e.run(
        { 'app-id': e2e.weather.id, ...commentInputs },
        { entry, env: { ...pullRequestEnv, GITHUB_EVENT_NAME: 'push' } }
      )
      expect(onPush.exitCode).toBe(0)
      // On a pull request the chunk is needed: its absence is a warning, and the answer stands.
      const onPullRequest = await e2e.run(
        { 'app-id': e2e.weather.id, ...commentInputs },
        { entry, env: pullRequestEnv }
      )
      expect(onPullRequest.exitCode).toBe(0)
      expect(onPullRequest.stdout).toMatch(/::warning::pr-comment: the comment could not be posted/)
    } finally {
      rmSync(bundle, { recursive: true, force: true })
    }
  })
})
