// The pull-request comment in process, against the GitHub stand-in on loopback: one comment
// per app and filters, updated in place, only our own; every problem a warning that says
// what to do.
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  jest
} from '@jest/globals'
import { commentMarker, postPullRequestComment } from '../src/report/pr-comment.js'
import {
  GITHUB_ACTIONS_LOGIN,
  startGitHubStandIn,
  type GitHubStandIn,
  type StoredComment
} from './support/github-api.js'
import { captureStdout } from './support/stdout.js'

const MARKER = commentMarker({ app: { appId: '1600000001' } })
const BODY = '<h3>Build 631 (2.4.0) for iOS</h3>\n'
const INSTALLATION = 'ghs_installation_token'
const OPTIONS = { timeoutMs: 2000 }

let github: GitHubStandIn
let stdout: string[]
const savedEnv = { ...process.env }

// @actions/github reads the API URL and the event once, when first loaded: set before that.
beforeAll(async () => {
  github = await startGitHubStandIn()
  Object.assign(process.env, github.pullRequestEnv)
})

afterAll(async () => {
  await github.close()
  for (const name of Object.keys(process.env)) if (!(name in savedEnv)) delete process.env[name]
})

beforeEach(() => {
  process.env.GITHUB_EVENT_NAME = 'pull_request'
  github.reset()
  stdout = captureStdout()
})

afterEach(() => {
  jest.restoreAllMocks()
})

/** The runner's log lines: `info` for plain lines, or the workflow command's name. */
function logged(): Array<[string, string]> {
  return stdout
    .join('')
    .split('\n')
    .filter(Boolean)
    .map(line => {
      const command = /^::(\w+)::(.*)$/.exec(line)
      return command ? [command[1]!, command[2]!] : ['info', line]
    })
}

const requests = (): string[] => github.requests.map(({ method, path }) => `${method} ${path}`)

describe('commentMarker', () => {
  it('is a hidden HTML comment, the same for the same question and another for another', () => {
    expect(MARKER).toMatch(/^<!-- app-store-connect-latest-build:[0-9a-f]{16} -->$/)
    expect(commentMarker({ app: { appId: '1600000001' } })).toBe(MARKER)
    expect(commentMarker({ app: { appId: '1600000002' } })).not.toBe(MARKER)
  })
})

describe('postPullRequestComment', () => {
  it('posts one comment, marked, on the pull request of the event', async () => {
    await postPullRequestComment(BODY, MARKER, INSTALLATION, OPTIONS)
    expect(github.comments).toEqual([
      { id: expect.any(Number), body: `${MARKER}\n${BODY}`, user: { login: 'github-actions[bot]' } }
    ])
    expect(requests()).toEqual([
      'GET /repos/acme/weather/issues/7/comments',
      'POST /repos/acme/weather/issues/7/comments'
    ])
    expect(
      github.requests.every(request => request.authorization === `token ${INSTALLATION}`)
    ).toBe(true)
    expect(logged()).toEqual([
      ['info', `pr-comment: posted comment ${github.comments[0]!.id} on pull request #7.`]
    ])
  })

  it('updates its own comment in place on the next run', async () => {
    await postPullRequestComment(BODY, MARKER, INSTALLATION, OPTIONS)
    const [first] = github.comments
    stdout.length = 0
    github.requests.length = 0
    await postPullRequestComment('<h3>Build 632</h3>\n', MARKER, INSTALLATION, OPTIONS)
    expect(github.comments).toEqual([{ ...first, body: `${MARKER}\n<h3>Build 632</h3>\n` }])
    expect(requests()).toEqual([
      'GET /repos/acme/weather/issues/7/comments',
      'GET /user',
      `PATCH /repos/acme/weather/issues/comments/${first!.id}`
    ])
    expect(logged()).toEqual([
      ['info', `pr-comment: updated comment ${first!.id} on pull request #7.`]
    ])
  })

  it('keeps one comment per question: another marker gets a comment of its own', async () => {
    await postPullRequestComment(BODY, MARKER, INSTALLATION, OPTIONS)
    const other = commentMarker({ app: { appId: '1600000002' } })
    await postPullRequestComment(BODY, other, INSTALLATION, OPTIONS)
    expect(github.comments.map(comment => comment.body)).toEqual([
      `${MARKER}\n${BODY}`,
      `${other}\n${BODY}`
    ])
  })

  it('ignores a marked comment someone else wrote, names it, and posts its own', async () => {
    github.comments.push({ id: 55, body: `${MARKER}\nplanted`, user: { login: 'mallory' } })
    await postPullRequestComment(BODY, MARKER, INSTALLATION, OPTIONS)
    expect(github.comments.map(comment => [comment.user.login, comment.body])).toEqual([
      ['mallory', `${MARKER}\nplanted`],
      ['github-actions[bot]', `${MARKER}\n${BODY}`]
    ])
    expect(logged()).toEqual([
      [
        'info',
        "pr-comment: ignored 1 comment(s) carrying this action's marker that github-actions[bot] did not write (55 by mallory)."
      ],
      ['info', `pr-comment: posted comment ${github.comments[1]!.id} on pull request #7.`]
    ])
  })

  it('with a personal token, updates the comment of the token’s own user', async () => {
    github.comments.push(
      { id: 60, body: `${MARKER}\nby the bot`, user: { login: 'github-actions[bot]' } },
      { id: 61, body: `${MARKER}\nold`, user: { login: 'alice' } }
    )
    await postPullRequestComment(BODY, MARKER, 'ghp_alice', OPTIONS)
    expect(github.comments.map(comment => comment.body)).toEqual([
      `${MARKER}\nby the bot`,
      `${MARKER}\n${BODY}`
    ])
    expect(logged()).toEqual([
      [
        'info',
        "pr-comment: ignored 1 comment(s) carrying this action's marker that alice did not write (60 by github-actions[bot])."
      ],
      ['info', 'pr-comment: updated comment 61 on pull request #7.']
    ])
  })

  it('names every planted comment, an author GitHub lost as unknown, and skips bodiless ones', async () => {
    github.comments.push(
      { id: 70, body: null, user: { login: 'github-actions[bot]' } } as unknown as StoredComment,
      { id: 71, body: `${MARKER}\nplanted`, user: null } as unknown as StoredComment,
      { id: 72, body: `x ${MARKER}`, user: { login: 'mallory' } }
    )
    await postPullRequestComment(BODY, MARKER, INSTALLATION, OPTIONS)
    expect(github.comments.map(comment => comment.id)).toEqual([70, 71, 72, expect.any(Number)])
    expect(logged()[0]).toEqual([
      'info',
      "pr-comment: ignored 2 comment(s) carrying this action's marker that github-actions[bot] did not write (71 by unknown, 72 by mallory)."
    ])
  })

  it.each([401, 403, 404])(
    'takes a token whose user GitHub will not name (%i) for the default token’s bot',
    async status => {
      github.comments.push({
        id: 80,
        body: `${MARKER}\nold`,
        user: { login: GITHUB_ACTIONS_LOGIN }
      })
      github.override = (method, path) =>
        method === 'GET' && path === '/user' ? { status, body: { message: 'no' } } : undefined
      await postPullRequestComment(BODY, MARKER, INSTALLATION, OPTIONS)
      expect(github.comments).toEqual([
        { id: 80, body: `${MARKER}\n${BODY}`, user: { login: GITHUB_ACTIONS_LOGIN } }
      ])
    }
  )

  it('warns without advice when GitHub fails otherwise, and posts nothing', async () => {
    github.comments.push({ id: 80, body: `${MARKER}\nold`, user: { login: GITHUB_ACTIONS_LOGIN } })
    github.override = (method, path) =>
      method === 'GET' && path === '/user'
        ? { status: 500, body: { message: 'Server Error' } }
        : undefined
    await postPullRequestComment(BODY, MARKER, INSTALLATION, OPTIONS)
    expect(github.comments).toEqual([
      { id: 80, body: `${MARKER}\nold`, user: { login: GITHUB_ACTIONS_LOGIN } }
    ])
    expect(logged()).toEqual([
      ['warning', 'pr-comment: the comment could not be posted: Server Error.']
    ])
  })

  it.each(['pull_request', 'pull_request_target'])('comments on a %s event', async event => {
    process.env.GITHUB_EVENT_NAME = event
    await postPullRequestComment(BODY, MARKER, INSTALLATION, OPTIONS)
    expect(github.comments).toHaveLength(1)
  })

  it.each([
    ['push', 'push'],
    ['', 'an unknown event'],
    [undefined, 'an unknown event']
  ])('skips a workflow run on %j, with no request', async (event, named) => {
    if (event === undefined) delete process.env.GITHUB_EVENT_NAME
    else process.env.GITHUB_EVENT_NAME = event
    await postPullRequestComment(BODY, MARKER, INSTALLATION, OPTIONS)
    expect(github.requests).toEqual([])
    expect(logged()).toEqual([
      ['info', `pr-comment: skipped, the workflow runs on ${named}, not on a pull request.`]
    ])
  })

  it('warns, with no request, when there is no token', async () => {
    await postPullRequestComment(BODY, MARKER, '', OPTIONS)
    expect(github.requests).toEqual([])
    expect(logged()).toEqual([
      [
        'warning',
        'pr-comment: no github-token, so no comment was posted. Pass github-token: ${{ github.token }}.'
      ]
    ])
  })

  it('warns, with no request, when the event names no pull request', async () => {
    const { context } = await import('@actions/github')
    const payload = context.payload
    context.payload = {}
    try {
      await postPullRequestComment(BODY, MARKER, INSTALLATION, OPTIONS)
    } finally {
      context.payload = payload
    }
    expect(github.requests).toEqual([])
    expect(logged()).toEqual([
      ['warning', 'pr-comment: the event has no pull request number, so no comment was posted.']
    ])
  })

  it.each([
    ['a read-only token (403)', () => void (github.forbidden = true), INSTALLATION],
    ['a token GitHub does not know (401)', () => undefined, 'not-a-token'],
    [
      'a pull request the token cannot see (404)',
      () => void (github.override = () => ({ status: 404, body: { message: 'Not Found' } })),
      INSTALLATION
    ]
  ])('warns how to give the job write access for %s', async (_case, arrange, token) => {
    arrange()
    await postPullRequestComment(BODY, MARKER, token, OPTIONS)
    expect(github.comments).toEqual([])
    expect(logged()).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^pr-comment: the comment could not be posted: .+\. Give the job `permissions: pull-requests: write`; pull requests from forks \(and Dependabot\) get a read-only token, so use pull_request_target or skip the comment there\.$/
        )
      ]
    ])
  })

  it('gives up on a GitHub that does not answer after timeout-seconds, saying so', async () => {
    github.hang = true
    await postPullRequestComment(BODY, MARKER, INSTALLATION, { timeoutMs: 200 })
    expect(requests()).toEqual(['GET /repos/acme/weather/issues/7/comments'])
    expect(logged()).toEqual([
      [
        'warning',
        expect.stringMatching(
          /^pr-comment: the comment could not be posted: .+\. GitHub's API did not answer within 0\.2 s \(timeout-seconds\)\.$/
        )
      ]
    ])
  })

  it('reads 50 pages of 100 comments at most, then posts', async () => {
    github.loopingLink = true
    await postPullRequestComment(BODY, MARKER, INSTALLATION, OPTIONS)
    const lists = github.requests.filter(request => request.method === 'GET')
    expect(lists).toHaveLength(50)
    expect(logged()).toEqual([
      ['info', 'pr-comment: read the first 5000 comments of pull request #7 only.'],
      ['info', `pr-comment: posted comment ${github.comments[0]!.id} on pull request #7.`]
    ])
  })
})
