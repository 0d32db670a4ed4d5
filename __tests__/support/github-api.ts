// A stand-in for the part of GitHub's REST API the pull-request comment uses, on loopback.
// Tokens say who they are: `ghs_...` is an installation token such as the default
// GITHUB_TOKEN (it writes as github-actions[bot], and GET /user refuses it, as GitHub does);
// `ghp_<login>` is a personal token of <login>. As on GitHub, only the author of a comment
// may edit it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface StoredComment {
  id: number
  body: string
  user: { login: string }
}

export interface GitHubStandIn {
  url: string
  /** The environment of a pull_request run (#7 of acme/weather) whose GitHub API is this one. */
  pullRequestEnv: Record<string, string>
  /** Forgets comments, requests and overrides, and answers normally again. */
  reset(): void
  comments: StoredComment[]
  requests: Array<{ method: string; path: string; authorization: string | undefined }>
  /** Answer every request with 403, as GitHub does for a token without pull-requests: write. */
  forbidden: boolean
  /** Never answer, as an API that hangs. */
  hang: boolean
  /** Answer each request only after this long, as a slow API. */
  delayMs: number
  /** Settles when the next request arrives. */
  nextRequest(): Promise<void>
  /** Every page of comments says there is a next one (the same), as a looping Link header. */
  loopingLink: boolean
  /** An answer of the test's own for a request, before the stand-in's (a 404, a 500...). */
  override?: (method: string, path: string) => { status: number; body: unknown } | undefined
  close(): Promise<void>
}

export const GITHUB_ACTIONS_LOGIN = 'github-actions[bot]'

/**
 * Who a token writes as, from `Authorization: token <token>` or `Bearer <token>`: GitHub takes
 * both, and clients send a token shaped as a JWT (the 2026 installation tokens) as Bearer.
 */
export function loginOf(authorization: string | undefined): string | undefined {
  const token = /^(?:token|bearer) (.+)$/i.exec(authorization ?? '')?.[1] ?? ''
  if (token.startsWith('ghs_')) return GITHUB_ACTIONS_LOGIN
  if (token.startsWith('ghp_')) return token.slice('ghp_'.length)
  return undefined
}

export async function startGitHubStandIn(): Promise<GitHubStandIn> {
  let nextId = 1000
  const state: Omit<GitHubStandIn, 'url' | 'close' | 'pullRequestEnv' | 'reset'> = {
    comments: [],
    requests: [],
    forbidden: false,
    hang: false,
    delayMs: 0,
    loopingLink: false,
    nextRequest: () => new Promise<void>(resolve => waiting.push(resolve))
  }
  let waiting: Array<() => void> = []
  const server = createServer((request, response) => {
    let raw = ''
    request.on('data', chunk => (raw += chunk))
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://localhost')
      const path = url.pathname
      state.requests.push({
        method: request.method ?? '',
        path,
        authorization: request.headers.authorization
      })
      for (const resolve of waiting) resolve()
      waiting = []
      if (state.hang) return
      const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
        const answer = (): void => {
          if (response.destroyed) return
          response
            .writeHead(status, { 'content-type': 'application/json', ...headers })
            .end(JSON.stringify(body))
        }
        if (state.delayMs > 0) setTimeout(answer, state.delayMs)
        else answer()
      }
      const overridden = state.override?.(request.method ?? '', path)
      if (overridden) return send(overridden.status, overridden.body)
      if (state.forbidden)
        return send(403, { message: 'Resource not accessible by integration', status: '403' })
      const login = loginOf(request.headers.authorization)
      if (!login) return send(401, { message: 'Bad credentials', status: '401' })
      const list = /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/.test(path)
      const one = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(path)
      if (path === '/user' && request.method === 'GET') {
        if (login === GITHUB_ACTIONS_LOGIN) {
          return send(403, { message: 'Resource not accessible by integration', status: '403' })
        }
        return send(200, { login, id: 1, type: 'User' })
      }
      if (list && request.method === 'GET') {
        const headers: Record<string, string> = state.loopingLink
          ? { link: `<${standIn.url}${path}?per_page=100&page=2>; rel="next"` }
          : {}
        return send(200, state.comments, headers)
      }
      if (list && request.method === 'POST') {
        const comment = {
          id: nextId++,
          body: (JSON.parse(raw) as { body: string }).body,
          user: { login }
        }
        state.comments.push(comment)
        return send(201, comment)
      }
      if (one && request.method === 'PATCH') {
        const comment = state.comments.find(candidate => candidate.id === Number(one[1]))
        if (!comment) return send(404, { message: 'Not Found' })
        if (comment.user.login !== login) {
          return send(403, { message: 'Resource not accessible by integration', status: '403' })
        }
        comment.body = (JSON.parse(raw) as { body: string }).body
        return send(200, comment)
      }
      send(404, { message: 'Not Found' })
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const standIn = state as GitHubStandIn
  standIn.url = `http://127.0.0.1:${port}`
  const folder = mkdtempSync(join(tmpdir(), 'github-event-'))
  writeFileSync(join(folder, 'event.json'), JSON.stringify({ pull_request: { number: 7 } }))
  standIn.pullRequestEnv = {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: join(folder, 'event.json'),
    GITHUB_REPOSITORY: 'acme/weather',
    GITHUB_API_URL: standIn.url
  }
  standIn.reset = () => {
    state.comments.length = 0
    state.requests.length = 0
    state.forbidden = state.hang = state.loopingLink = false
    state.delayMs = 0
    state.override = undefined
  }
  standIn.close = async () => {
    server.closeAllConnections()
    await new Promise<void>(resolve => server.close(() => resolve()))
    rmSync(folder, { recursive: true, force: true })
  }
  return standIn
}
