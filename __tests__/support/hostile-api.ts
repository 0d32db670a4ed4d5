// A server on loopback that plays a hostile or broken App Store Connect: each test says how
// it answers (odd shapes, endless bodies, slow pages, reflected secrets), and every request
// is recorded.
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface HostileRequest {
  method: string
  /** Path and query, as sent. */
  url: string
  authorization: string | undefined
}

export type HostileHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  index: number
) => void

export interface HostileApi {
  url: string
  requests: HostileRequest[]
  /** How the next requests are answered (until the next call); resets the recorded requests. */
  answer(handler: HostileHandler): void
  close(): Promise<void>
}

export async function startHostileApi(): Promise<HostileApi> {
  const requests: HostileRequest[] = []
  const sockets = new Set<Socket>()
  let handler: HostileHandler = (_request, response) => sendJson(response, 200, buildsPage([]))
  const server = createServer((request, response) => {
    requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      authorization: request.headers.authorization
    })
    handler(request, response, requests.length - 1)
  })
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answer(next) {
      handler = next
      requests.length = 0
    },
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>(resolve => server.close(() => resolve()))
    }
  }
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  response
    .writeHead(status, {
      'content-type': 'application/json',
      'x-rate-limit': 'user-hour-lim:3600;user-hour-rem:3500;',
      ...headers
    })
    .end(text)
}

/** An Apple error document. */
export function errorBody(status: number, code: string, detail: string): object {
  return { errors: [{ id: randomUUID(), status: String(status), code, title: 'Error', detail }] }
}

export interface HostileBuild {
  id: string
  attributes: Record<string, unknown>
  preRelease: { id: string; version: unknown; platform: unknown }
}

/** A build as Apple sends it, every field well-formed unless overridden. */
export function hostileBuild(
  attributes: Record<string, unknown> = {},
  preRelease: Partial<HostileBuild['preRelease']> = {}
): HostileBuild {
  return {
    id: randomUUID(),
    attributes: {
      version: '630',
      uploadedDate: '2026-11-20T10:00:00-08:00',
      expirationDate: '2027-02-18T10:00:00-08:00',
      expired: false,
      minOsVersion: '17.0',
      iconAssetToken: {
        templateUrl:
          'https://is1-ssl.mzstatic.com/image/thumb/Purple211/v4/ab/cd/ef/Icon-83.5@2x.png.png/{w}x{h}bb.{f}',
        width: 167,
        height: 167
      },
      processingState: 'VALID',
      buildAudienceType: 'APP_STORE_ELIGIBLE',
      ...attributes
    },
    preRelease: { id: randomUUID(), version: '2.4', platform: 'IOS', ...preRelease }
  }
}

/** A `GET /v1/builds` page of these builds, with their prerelease versions included. */
export function buildsPage(builds: HostileBuild[], next?: string): object {
  return {
    data: builds.map(build => ({
      type: 'builds',
      id: build.id,
      attributes: build.attributes,
      relationships: {
        preReleaseVersion: { data: { type: 'preReleaseVersions', id: build.preRelease.id } }
      }
    })),
    included: builds.map(build => ({
      type: 'preReleaseVersions',
      id: build.preRelease.id,
      attributes: { version: build.preRelease.version, platform: build.preRelease.platform }
    })),
    links: { self: 'x', ...(next ? { next } : {}) }
  }
}
