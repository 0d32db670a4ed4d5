// Self-hosted runners reach Apple through a proxy: the action must tunnel through
// HTTPS_PROXY / https_proxy, go direct for hosts in NO_PROXY, tell a proxy's refusal from a
// timeout, and never send a loopback API's requests (and their token) to a proxy. Here the
// sandbox speaks https as `api.asc.test`, a name only the proxy knows (it tunnels it to
// 127.0.0.1), with a certificate the action's process trusts through NODE_EXTRA_CA_CERTS.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generate } from 'selfsigned'
import { runAction } from '../../local-runner/run-action.js'
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy.js'
import { buildsPage, hostileBuild, sendJson, startHostileApi } from '../support/hostile-api.js'
import { makeTestKey } from '../support/keys.js'
import { startE2e, type E2eContext } from './harness.js'

const HOST = 'api.asc.test'
let e2e: E2eContext
let proxy: ConnectProxy
let folder: string
let trust: Record<string, string>
/** The sandbox by a name that is not loopback, so that proxies apply to it. */
let apiBaseUrl: string

beforeAll(async () => {
  const certificate = await generate([{ name: 'commonName', value: HOST }], {
    keyType: 'ec',
    curve: 'P-256',
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: HOST },
          { type: 7, ip: '127.0.0.1' }
        ]
      }
    ]
  })
  folder = mkdtempSync(join(tmpdir(), 'proxy-e2e-'))
  writeFileSync(join(folder, 'ca.pem'), certificate.cert)
  trust = { NODE_EXTRA_CA_CERTS: join(folder, 'ca.pem') }
  e2e = await startE2e({ tls: { key: certificate.private, cert: certificate.cert } })
  apiBaseUrl = `https://${HOST}:${new URL(e2e.sandbox.url).port}`
  proxy = await startConnectProxy({ resolve: host => (host === HOST ? '127.0.0.1' : host) })
})
afterAll(async () => {
  await e2e?.sandbox.close()
  await proxy?.close()
  rmSync(folder, { recursive: true, force: true })
})
beforeEach(() => {
  e2e.sandbox.resetRequests()
  proxy.tunnels.length = 0
  proxy.forwarded.length = 0
  proxy.refuse = undefined
})

describe('through a proxy', () => {
  it('serves https itself, so the proxy sees only an opaque tunnel', () => {
    expect(e2e.sandbox.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
  })

  it.each(['HTTPS_PROXY', 'https_proxy'])('tunnels every request through %s', async variable => {
    const result = await e2e.run(
      { 'bundle-id': 'com.example.weather', 'api-base-url': apiBaseUrl },
      { env: { ...trust, [variable]: proxy.url } }
    )
    expect(result.errors).toEqual([])
    expect(result.outputs.found).toBe('true')
    expect(proxy.tunnels.length).toBeGreaterThanOrEqual(1)
    expect(new Set(proxy.tunnels)).toEqual(new Set([`${HOST}:${new URL(apiBaseUrl).port}`]))
    expect(e2e.sandbox.requests).toHaveLength(2)
  })

  it('goes direct to a host listed in NO_PROXY (here one no DNS knows, so only the proxy could have reached it)', async () => {
    const result = await e2e.run(
      { 'app-id': e2e.weather.id, 'api-base-url': apiBaseUrl, 'max-attempts': '1' },
      { env: { ...trust, HTTPS_PROXY: proxy.url, NO_PROXY: HOST } }
    )
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      expect.stringMatching(
        /Could not reach App Store Connect at https:\/\/api\.asc\.test:\d+ .*(ENOTFOUND|EAI_AGAIN)/
      )
    ])
    expect(proxy.tunnels).toEqual([])
  })

  it('fails clearly when the proxy cannot be reached', async () => {
    const result = await e2e.run(
      { 'app-id': e2e.weather.id, 'api-base-url': apiBaseUrl, 'max-attempts': '1' },
      { env: { ...trust, HTTPS_PROXY: 'http://127.0.0.1:9' } }
    )
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      expect.stringMatching(
        /Could not reach App Store Connect at https:\/\/api\.asc\.test:\d+ while listing the builds/
      )
    ])
    expect(e2e.sandbox.requests).toHaveLength(0)
  })
})

describe('a proxy that refuses the tunnel is reported as a refusal, with its status', () => {
  it.each<[number, number, RegExp]>([
    [
      407,
      1,
      /answered 407 Proxy Authentication Required\. The proxy wants credentials: put them in the proxy URL/
    ],
    [403, 1, /answered 403 Forbidden\. The proxy's rules do not let this runner reach/],
    [502, 3, /answered 502 Bad Gateway\. Gave up after 3 attempts\./]
  ])('%i (tunnels asked for: %i)', async (status, tunnels, message) => {
    proxy.refuse = status
    const result = await e2e.run(
      { 'app-id': e2e.weather.id, 'api-base-url': apiBaseUrl, 'max-attempts': '3' },
      { env: { ...trust, HTTPS_PROXY: proxy.url } }
    )
    expect(result.exitCode).toBe(1)
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatch(
      /^The proxy refused to open a tunnel to https:\/\/api\.asc\.test:\d+ while listing the builds of app \d+: /
    )
    expect(result.errors[0]).toMatch(message)
    expect(result.errors[0]).not.toMatch(/did not answer|timeout-seconds/)
    expect(proxy.tunnels).toHaveLength(tunnels)
    expect(result.outputs.found).toBe('false')
  })
})

describe('a loopback API never goes through a proxy', () => {
  it('HTTP_PROXY and HTTPS_PROXY set: the token goes straight to the loopback API, not to the proxy', async () => {
    const api = await startHostileApi()
    try {
      const build = hostileBuild()
      api.answer((_request, response) => sendJson(response, 200, buildsPage([build])))
      const result = await runAction(
        {
          'issuer-id': randomUUID(),
          'key-id': 'LOOPBACK01',
          'private-key': makeTestKey().pem,
          'api-base-url': api.url,
          'app-id': '1600000001'
        },
        { env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, http_proxy: proxy.url } }
      )
      expect(result.errors).toEqual([])
      expect(result.outputs['build-id']).toBe(build.id)
      expect(api.requests).toHaveLength(1)
      expect(api.requests[0]!.authorization).toMatch(/^Bearer ey/)
      expect(proxy.forwarded).toEqual([])
      expect(proxy.tunnels).toEqual([])
    } finally {
      await api.close()
    }
  })
})
