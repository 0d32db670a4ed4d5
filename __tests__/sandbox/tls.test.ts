import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { generate } from 'selfsigned'
import { Agent, request } from 'undici'
import { generateCatalogue, type CollectionDocument, type Sandbox } from '../../sandbox/index.js'
import { makeKey, NOW, startTestSandbox, token } from './helpers.js'

const key = makeKey('TLSKEY0001', 'issuer-tls')
let sandbox: Sandbox
let agent: Agent

beforeAll(async () => {
  const certificate = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }]
  })
  sandbox = await startTestSandbox({
    catalogue: generateCatalogue({ now: NOW, buildsPerApp: 10 }),
    keys: [key],
    tls: { key: certificate.private, cert: certificate.cert }
  })
  agent = new Agent({ connect: { ca: certificate.cert } })
})

afterAll(async () => {
  await sandbox.close()
  await agent.close()
})

const get = (path: string) =>
  request(`${sandbox.url}${path}`, {
    dispatcher: agent,
    headers: { authorization: `Bearer ${token(key)}` }
  })

describe('https', () => {
  it('serves https when given a certificate, with links on the https origin', async () => {
    expect(sandbox.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    const res = await get('/v1/apps?limit=2')
    expect(res.statusCode).toBe(200)
    const body = (await res.body.json()) as CollectionDocument
    expect(body.links.next!.startsWith(`${sandbox.url}/v1/apps?`)).toBe(true)
  })

  it('still resets the connection on a reset fault', async () => {
    sandbox.injectFault({ fault: { kind: 'reset' } })
    await expect(get('/v1/apps')).rejects.toThrow()
    expect(sandbox.requests.at(-1)).toMatchObject({ fault: 'reset', status: 0 })
  })

  it('refuses clients that do not trust the certificate', async () => {
    await expect(fetch(`${sandbox.url}/v1/apps`)).rejects.toThrow()
  })
})
