// Self-hosted runners reach Apple through a proxy: the action must tunnel through
// HTTPS_PROXY / https_proxy, and go direct for hosts in NO_PROXY. Here the sandbox speaks
// https with a certificate the action's process trusts through NODE_EXTRA_CA_CERTS.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generate } from 'selfsigned'
import { startConnectProxy, type ConnectProxy } from '../support/connect-proxy.js'
import { startE2e, type E2eContext } from './harness.js'

let e2e: E2eContext
let proxy: ConnectProxy
let folder: string
let trust: Record<string, string>

beforeAll(async () => {
  const certificate = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }]
  })
  folder = mkdtempSync(join(tmpdir(), 'proxy-e2e-'))
  writeFileSync(join(folder, 'ca.pem'), certificate.cert)
  trust = { NODE_EXTRA_CA_CERTS: join(folder, 'ca.pem') }
  e2e = await startE2e({ tls: { key: certificate.private, cert: certificate.cert } })
  proxy = await startConnectProxy()
})
afterAll(async () => {
  await e2e?.sandbox.close()
  await proxy?.close()
  rmSync(folder, { recursive: true, force: true })
})
beforeEach(() => {
  e2e.sandbox.resetRequests()
  proxy.tunnels.length = 0
})

describe('through a proxy', () => {
  it('serves https itself, so the proxy sees only an opaque tunnel', () => {
    expect(e2e.sandbox.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
  })

  it.each(['HTTPS_PROXY', 'https_proxy'])('tunnels every request through %s', async variable => {
    const result = await e2e.run(
      { 'bundle-id': 'com.example.weather' },
      { env: { ...trust, [variable]: proxy.url } }
    )
    expect(result.errors).toEqual([])
    expect(result.outputs.found).toBe('true')
    const origin = new URL(e2e.sandbox.url)
    expect(proxy.tunnels.length).toBeGreaterThanOrEqual(1)
    expect(new Set(proxy.tunnels)).toEqual(new Set([`${origin.hostname}:${origin.port}`]))
    expect(e2e.sandbox.requests).toHaveLength(2)
  })

  it('goes direct to a host listed in NO_PROXY', async () => {
    const result = await e2e.run(
      { 'app-id': e2e.weather.id },
      { env: { ...trust, HTTPS_PROXY: proxy.url, NO_PROXY: '127.0.0.1' } }
    )
    expect(result.outputs.found).toBe('true')
    expect(proxy.tunnels).toEqual([])
    expect(e2e.sandbox.requests).toHaveLength(1)
  })

  it('fails clearly when the proxy cannot be reached', async () => {
    const result = await e2e.run(
      { 'app-id': e2e.weather.id, 'max-attempts': '1' },
      { env: { ...trust, HTTPS_PROXY: 'http://127.0.0.1:9' } }
    )
    expect(result.exitCode).toBe(1)
    expect(result.errors).toEqual([
      expect.stringMatching(
        /Could not reach App Store Connect at https:\/\/127\.0\.0\.1:\d+ while listing the builds/
      )
    ])
    expect(e2e.sandbox.requests).toHaveLength(0)
  })
})
