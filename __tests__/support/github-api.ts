// A stand-in for the part of GitHub's REST API the pull-request comment uses, on loopback.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface StoredComment {
  id: number
  body: string
}

export interface GitHubStandIn {
  url: string
  comments: StoredComment[]
  requests: Array<{ method: string; path: string; authorization: string | undefined }>
  /** Answer every request with 403, as GitHub does for a token without pull-requests: write. */
  forbidden: boolean
  close(): Promise<void>
}

export async function startGitHubStandIn(): Promise<GitHubStandIn> {
  let nextId = 1000
  const state: Omit<GitHubStandIn, 'url' | 'close'> = {
    comments: [],
    requests: [],
    forbidden: false
  }
  const server = createServer((request, response) => {
    let raw = ''
    request.on('data', chunk => (raw += chunk))
    request.on('end', () => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname
      state.requests.push({
        method: request.method ?? '',
        path,
        authorization: request.headers.authorization
      })
      const send = (status: number, body: unknown): void => {
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
      }
      if (state.forbidden)
        return send(403, { message: 'Resource not accessible by integration', status: '403' })
      const list = /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/.test(path)
      const one = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(path)
      if (list && request.method === 'GET') return send(200, state.comments)
      if (list && request.method === 'POST') {
        const comment = { id: nextId++, body: (JSON.parse(raw) as { body: string }).body }
        state.comments.push(comment)
        return send(201, comment)
      }
      if (one && request.method === 'PATCH') {
        const comment = state.comments.find(candidate => candidate.id === Number(one[1]))
        if (!comment) return send(404, { message: 'Not Found' })
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
  standIn.close = async () => {
    server.closeAllConnections()
    await new Promise<void>(resolve => server.close(() => resolve()))
  }
  return standIn
}
