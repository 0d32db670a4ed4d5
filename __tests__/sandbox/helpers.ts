// Shared helpers for the sandbox tests: keys, tokens, sandboxes on the test clock and a small
// JSON client.
import { createHmac, generateKeyPairSync, sign, type KeyObject } from 'node:crypto'
import { afterAll, beforeAll } from '@jest/globals'
import {
  FIXED_BUNDLE_IDS,
  startSandbox,
  type Catalogue,
  type CollectionDocument,
  type Sandbox,
  type SandboxApp,
  type SandboxBuild,
  type SandboxBuildUpload,
  type SandboxKey,
  type SandboxOptions,
  type SandboxPreReleaseVersion
} from '../../sandbox/index.js'

/**
 * The seeded part of a catalogue, without the fixed apps planted beside it (each of their
 * builds holds one hand-picked case, values Apple added later included).
 */
export function seededOnly(c: Catalogue): Catalogue {
  const fixed = new Set<string>(Object.values(FIXED_BUNDLE_IDS))
  const apps = new Set(c.apps.filter(a => !fixed.has(a.bundleId)).map(a => a.id))
  return {
    ...c,
    apps: c.apps.filter(a => apps.has(a.id)),
    preReleaseVersions: c.preReleaseVersions.filter(p => apps.has(p.appId)),
    builds: c.builds.filter(b => apps.has(b.appId)),
    buildUploads: c.buildUploads.filter(u => apps.has(u.appId))
  }
}

/** A fixed clock for catalogues and token checks (a winter instant: Pacific offset -08:00). */
export const NOW = new Date('2026-11-20T18:00:00Z')
export const nowSeconds = () => Math.floor(NOW.getTime() / 1000)

export interface TestKey {
  keyId: string
  issuerId?: string
  privateKey: KeyObject
  publicKey: KeyObject
}

export function makeKey(keyId: string, issuerId?: string): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  return { keyId, issuerId, privateKey, publicKey }
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')

export interface TokenParts {
  header?: Record<string, unknown>
  claims?: Record<string, unknown>
  /** Sign with another key than the one named in kid. */
  signWith?: KeyObject
  /** 'der' produces the ASN.1 form most crypto APIs emit by default (Apple wants raw r||s). */
  encoding?: 'ieee-p1363' | 'der'
  /** Mint as of this instant instead of NOW, for a sandbox whose clock is elsewhere. */
  at?: Date
}

/** A token as the action should mint it: ES256, kid, aud, iat 60 s ago, exp 15 min ahead. */
export function token(key: TestKey, parts: TokenParts = {}): string {
  const header = { alg: 'ES256', kid: key.keyId, typ: 'JWT', ...parts.header }
  const base =
    key.issuerId !== undefined
      ? { iss: key.issuerId }
      : ({ sub: 'user' } as Record<string, unknown>)
  const issuedAt = parts.at ? Math.floor(parts.at.getTime() / 1000) : nowSeconds()
  const claims = {
    ...base,
    aud: 'appstoreconnect-v1',
    iat: issuedAt - 60,
    exp: issuedAt + 15 * 60,
    ...parts.claims
  }
  const input = `${b64(header)}.${b64(claims)}`
  const signature = sign('sha256', Buffer.from(input), {
    key: parts.signWith ?? key.privateKey,
    dsaEncoding: parts.encoding ?? 'ieee-p1363'
  })
  return `${input}.${signature.toString('base64url')}`
}

/** An HS256 token using the key id, as a confused client might send. */
export function hs256Token(key: TestKey): string {
  const header = { alg: 'HS256', kid: key.keyId, typ: 'JWT' }
  const claims = {
    iss: key.issuerId,
    aud: 'appstoreconnect-v1',
    iat: nowSeconds() - 60,
    exp: nowSeconds() + 600
  }
  const input = `${b64(header)}.${b64(claims)}`
  return `${input}.${createHmac('sha256', 'secret').update(input).digest('base64url')}`
}

/** The sandbox's view of a test key: its public half, under the same ids. */
export function sandboxKey(key: TestKey): SandboxKey {
  return { keyId: key.keyId, issuerId: key.issuerId, publicKey: key.publicKey }
}

export type TestSandboxOptions = Omit<SandboxOptions, 'keys'> & { keys: readonly TestKey[] }

/** A sandbox that knows the given test keys, on the fixed clock NOW unless `now` is given. */
export function startTestSandbox({ keys, ...options }: TestSandboxOptions): Promise<Sandbox> {
  return startSandbox({ now: () => NOW, ...options, keys: keys.map(sandboxKey) })
}

/** Runs `use` against a sandbox of its own, which is closed afterwards even when `use` fails. */
export async function withSandbox<T>(
  options: TestSandboxOptions,
  use: (sandbox: Sandbox) => Promise<T>
): Promise<T> {
  const sandbox = await startTestSandbox(options)
  try {
    return await use(sandbox)
  } finally {
    await sandbox.close()
  }
}

/**
 * One sandbox for a whole test file: started before its tests and closed after them. What it
 * returns stands for that sandbox (reading it outside a test fails: it has not started yet).
 */
export function sandboxForFile(options: TestSandboxOptions): Sandbox {
  let started: Sandbox | undefined
  beforeAll(async () => {
    started = await startTestSandbox(options)
  })
  afterAll(async () => {
    await started?.close()
  })
  return new Proxy({} as Sandbox, {
    get(_target, property) {
      if (!started) throw new Error('the file’s sandbox starts before its tests: use it in a test')
      return Reflect.get(started, property)
    }
  })
}

/** GET by path on the sandbox, with the bearer token: get('/v1/apps?limit=2'). */
export function getOn(sandbox: Sandbox, bearer: string) {
  return <T = CollectionDocument>(path: string, init?: RequestInit) =>
    getJson<T>(`${sandbox.url}${path}`, bearer, init)
}

export interface JsonResponse<T = Record<string, unknown>> {
  status: number
  headers: Headers
  body: T
}

export async function getJson<T = Record<string, unknown>>(
  url: string,
  bearer: string | undefined,
  init: RequestInit = {}
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = bearer ? { Authorization: `Bearer ${bearer}` } : {}
  const res = await fetch(url, { ...init, headers: { ...headers, ...(init.headers as object) } })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as T }
}

/** Follows links.next to the end; fails the test on a page that is not 200. */
export async function fetchAll(firstUrl: string, bearer: string): Promise<CollectionDocument[]> {
  const pages: CollectionDocument[] = []
  let url: string | undefined = firstUrl
  while (url) {
    const res: JsonResponse<CollectionDocument> = await getJson<CollectionDocument>(url, bearer)
    if (res.status !== 200) throw new Error(`page ${url} answered ${res.status}`)
    pages.push(res.body)
    url = res.body.links.next
    if (pages.length > 500) throw new Error('paging does not end')
  }
  return pages
}

/** A tiny hand-made catalogue: one app, one version, builds with the given numbers and upload times. */
export function craftedCatalogue(
  builds: ReadonlyArray<{ version: string; uploadedDate: string; marketing?: string }>
): Catalogue {
  const app: SandboxApp = {
    id: '1700000001',
    bundleId: 'com.example.crafted',
    name: 'Crafted',
    sku: 'CRAFTED',
    primaryLocale: 'en-US'
  }
  const prvs = new Map<string, SandboxPreReleaseVersion>()
  const list: SandboxBuild[] = builds.map((b, i) => {
    const marketing = b.marketing ?? '1.0.0'
    let prv = prvs.get(marketing)
    if (!prv) {
      prv = {
        id: `00000000-0000-4000-8000-${String(prvs.size + 1).padStart(12, '0')}`,
        appId: app.id,
        version: marketing,
        platform: 'IOS'
      }
      prvs.set(marketing, prv)
    }
    return {
      id: `00000000-0000-4000-9000-${String(i + 1).padStart(12, '0')}`,
      appId: app.id,
      preReleaseVersionId: prv.id,
      version: b.version,
      uploadedDate: b.uploadedDate,
      expirationDate: '2027-02-01T10:00:00-08:00',
      expired: false,
      minOsVersion: '17.0',
      lsMinimumSystemVersion: null,
      computedMinMacOsVersion: '14.0',
      iconAssetToken: null,
      processingState: 'VALID',
      buildAudienceType: 'APP_STORE_ELIGIBLE',
      usesNonExemptEncryption: false,
      betaDetail: {
        id: `00000000-0000-4000-a000-${String(i + 1).padStart(12, '0')}`,
        autoNotifyEnabled: true,
        internalBuildState: 'IN_BETA_TESTING',
        externalBuildState: 'READY_FOR_BETA_SUBMISSION'
      }
    }
  })
  // Every build has its upload, COMPLETE, spelled like its train, created a minute before.
  const uploads: SandboxBuildUpload[] = list.map((build, i) => ({
    id: `00000000-0000-4000-b000-${String(i + 1).padStart(12, '0')}`,
    appId: app.id,
    cfBundleShortVersionString: [...prvs.values()].find(p => p.id === build.preReleaseVersionId)!
      .version,
    cfBundleVersion: build.version,
    platform: 'IOS',
    createdDate: new Date(Date.parse(build.uploadedDate) - 60_000).toISOString(),
    uploadedDate: build.uploadedDate,
    state: { state: 'COMPLETE', errors: [], warnings: [], infos: [] },
    buildId: build.id
  }))
  return {
    apps: [app],
    preReleaseVersions: [...prvs.values()],
    builds: list,
    buildUploads: uploads,
    landmarks: {}
  }
}

/** Newest upload first, by instant (the dates carry different offsets). */
export function newestFirst(builds: readonly SandboxBuild[]): SandboxBuild[] {
  return [...builds].sort((a, b) => Date.parse(b.uploadedDate) - Date.parse(a.uploadedDate))
}
