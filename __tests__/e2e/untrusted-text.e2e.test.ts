// Text from outside the action, through the bundle to the runner's log, the job summary and
// the pull-request comment: no workflow command can start from it (either form the runner
// reads), and no secret survives it, even split by a control character or cut near its end.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { runAction, type ActionRun, type RunActionOptions } from '../../local-runner/run-action.js'
import { startGitHubStandIn, type GitHubStandIn } from '../support/github-api.js'
import { statelessInstallationToken } from '../support/github-tokens.js'
import {
  buildsPage,
  errorBody,
  hostileBuild,
  sendJson,
  startHostileApi,
  type HostileApi,
  type HostileHandler
} from '../support/hostile-api.js'
import { makeTestKey } from '../support/keys.js'
import { runnerCommands } from '../support/runner-commands.js'

const APP_ID = '1600000001'
const key = makeTestKey()
const githubToken = statelessInstallationToken()
let api: HostileApi
let github: GitHubStandIn

beforeAll(async () => {
  api = await startHostileApi()
  github = await startGitHubStandIn()
})
afterAll(async () => {
  await api?.close()
  await github?.close()
})
beforeEach(() => github.reset())

/** The action on a pull request, commenting, against the hostile API. */
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
      'app-id': APP_ID,
      'pr-comment': 'true',
      'github-token': githubToken,
      ...inputs
    },
    {
      timeoutMs: 40_000,
      ...options,
      env: { ...github.pullRequestEnv, ACTIONS_STEP_DEBUG: 'true', ...options.env }
    }
  )
}

/** Answers by path: the builds and the uploads of the app, and the app itself. */
function routes(answers: { builds?: HostileHandler; uploads?: HostileHandler }): HostileHandler {
  return (request, response, index) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname
    if (path === `/v1/apps/${APP_ID}`) {
      return sendJson(response, 200, { data: { type: 'apps', id: APP_ID, attributes: {} } })
    }
    const handler = path.endsWith('/buildUploads') ? answers.uploads : answers.builds
    if (handler) handler(request, response, index)
    else sendJson(response, 200, { data: [], links: {} })
  }
}

/** The token of a request, without `Bearer `. */
function tokenOf(request: IncomingMessage): string {
  return (request.headers.authorization ?? '').replace(/^Bearer /, '')
}

describe('no workflow command can start from text the action did not write', () => {
  const injected = {
    stop: '##[stop-commands]x',
    warning: '##[warning]All checks passed',
    output: '::set-output name=found::true',
    mask: '  ::add-mask::nothing'
  }

  it('from a build number, TestFlight states, an upload state, an error detail and a next link', async () => {
    const runs: ActionRun[] = []
    // A blocked build whose number and states carry commands: named in the not-found failure.
    api.answer(
      routes({
        builds: (_request, response) => {
          const build = hostileBuild({ version: `631 ${injected.stop}` })
          const body = buildsPage([build]) as {
            data: Array<Record<string, unknown>>
            included: unknown[]
          }
          body.data[0]!.relationships = {
            ...(body.data[0]!.relationships as object),
            buildBetaDetail: { data: { type: 'buildBetaDetails', id: 'detail-631' } }
          }
          body.included.push({
            type: 'buildBetaDetails',
            id: 'detail-631',
            attributes: {
              internalBuildState: injected.warning,
              externalBuildState: injected.output
            }
          })
          sendJson(response, 200, body)
        }
      })
    )
    runs.push(await run({ 'ready-for': 'internal-testing' }))
    // An upload waited for, whose version and state carry commands: in the wait's log lines.
    api.answer(
      routes({
        uploads: (_request, response) =>
          sendJson(response, 200, {
            data: [
              {
                type: 'buildUploads',
                id: randomUUID(),
                attributes: {
                  cfBundleVersion: '631',
                  cfBundleShortVersionString: injected.mask,
                  platform: 'IOS',
                  createdDate: new Date().toISOString(),
                  state: { state: injected.stop, errors: [] }
                }
              }
            ],
            links: {}
          })
      })
    )
    runs.push(
      await run(
        { 'build-number': '631', 'wait-minutes': '1' },
        { interrupt: { signal: 'SIGTERM', once: /Waiting up to/ } }
      )
    )
    // Apple's error text, and a next-page link in the debug log.
    api.answer((request, response, index) => {
      if (index === 0) {
        return sendJson(
          response,
          200,
          buildsPage([], `${api.url}/v1/builds?cursor=${encodeURIComponent(injected.stop)}`)
        )
      }
      sendJson(
        response,
        403,
        errorBody(
          403,
          `FORBIDDEN_ERROR ${injected.warning}`,
          `no\n${injected.output}\r\n${injected.mask} ${injected.stop}`
        )
      )
    })
    runs.push(await run({ 'latest-by': 'build-number' }))

    for (const result of runs) {
      expect(result.exitCode).toBe(1)
      expect(result.stdout).not.toContain('##[')
      // The runner reads only the action's own commands: masks, debug lines, its warnings and
      // the failure; never an output, a stop or a mask of Apple's.
      const commands = runnerCommands(result.stdout)
      expect(commands.length).toBeGreaterThan(0)
      for (const command of commands) {
        expect(command.form).toBe('::')
        expect(['add-mask', 'debug', 'warning', 'error']).toContain(command.name)
      }
      const masks = commands
        .filter(command => command.name === 'add-mask')
        .map(command => command.data)
      expect(masks).not.toContain('nothing')
    }
    // The text itself is still there for the reader, with a zero-width space inside `##[`.
    expect(runs[0]!.stdout).toMatch(
      /::warning::Left out build .*: App Store Connect sent version "631 #\u200b#\[stop-commands\]x", .*internalBuildState "#\u200b#\[warning\]All checks passed", externalBuildState "::set-output name=found::true", not of the form/
    )
    expect(runs[1]!.stdout).toMatch(
      /Waiting up to .* for build 631 \(\s*::add-mask::nothing, IOS\).*it is upload #\u200b#\[stop-commands\]x/
    )
    expect(runs[2]!.stdout).toMatch(/::debug::GET .*cursor=#\u200b#\[stop-commands\]x/)
    expect(runs[2]!.errors[0]).toMatch(
      /FORBIDDEN_ERROR #\u200b#\[warning\]All checks passed: no ::set-output name=found::true\s+::add-mask::nothing #\u200b#\[stop-commands\]x/
    )
    // Every value is also in the comment, escaped there and never a command.
    expect(runnerCommands(github.comments.map(comment => comment.body).join('\n'))).toEqual([])
  })
})

describe('no secret survives the text it is in', () => {
  /** No piece of the signature longer than 11 characters, in the text as a reader sees it. */
  function expectNoSignature(published: string, tokens: readonly string[]): void {
    for (const token of tokens) {
      const signature = token.split('.')[2]!
      expect(published).not.toContain(token)
      for (let start = 0; start + 12 <= signature.length; start++) {
        expect(published).not.toContain(signature.slice(start, start + 12))
      }
    }
  }

  /** The log, the summary and the comment, with HTML entities decoded. */
  function published(result: ActionRun): string[] {
    const decode = (html: string): string =>
      html.replace(/&#(\d+);/g, (_entity, code: string) => String.fromCodePoint(Number(code)))
    const log = result.stdout
      .split('\n')
      .filter(line => !line.startsWith('::add-mask::'))
      .join('\n')
    return [log, decode(result.summary), ...github.comments.map(comment => decode(comment.body))]
  }

  it('a 401 echoing the token with a BEL inside its signature', async () => {
    api.answer((request, response) => {
      const token = tokenOf(request)
      const cut = token.length - 30
      const echoed = `${token.slice(0, cut)}\u0007${token.slice(cut)}`
      sendJson(response, 401, errorBody(401, 'NOT_AUTHORIZED', `Token ${echoed} is not valid`))
    })
    const result = await run()
    expect(result.exitCode).toBe(1)
    const tokens = api.requests.map(request => request.authorization!.replace(/^Bearer /, ''))
    expect(tokens).toHaveLength(2)
    expect(github.comments).toHaveLength(1)
    for (const text of [...published(result), result.stderr]) expectNoSignature(text, tokens)
    for (const text of published(result)) expect(text).toMatch(/Token \*\*\* is not valid/)
  })

  it.each([1, 2, 10])(
    'a FAILED upload’s state error cut %i characters before the token’s end',
    async charactersLeft => {
      api.answer(
        routes({
          uploads: (request, response) => {
            const token = tokenOf(request)
            // The description is cut at 500 characters: here, `charactersLeft` before the end.
            const padding = 'x'.repeat(500 - token.length + charactersLeft)
            sendJson(response, 200, {
              data: [
                {
                  type: 'buildUploads',
                  id: randomUUID(),
                  attributes: {
                    cfBundleVersion: '631',
                    cfBundleShortVersionString: '2.4',
                    platform: 'IOS',
                    createdDate: new Date().toISOString(),
                    uploadedDate: new Date().toISOString(),
                    state: {
                      state: 'FAILED',
                      errors: [{ code: '90683', description: `${padding}${token}` }]
                    }
                  }
                }
              ],
              links: {}
            })
          }
        })
      )
      const result = await run({ 'build-number': '631', 'wait-minutes': '1' })
      expect(result.exitCode).toBe(1)
      for (const text of published(result)) expect(text).toMatch(/FAILED\..*xxx\*\*\*/)
      const tokens = [
        ...new Set(api.requests.map(request => request.authorization!.replace(/^Bearer /, '')))
      ]
      expect(tokens).toHaveLength(1)
      for (const text of [...published(result), result.stderr]) expectNoSignature(text, tokens)
    }
  )
})
