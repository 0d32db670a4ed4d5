import { describe, expect, it, jest } from '@jest/globals'
import {
  readAppInstance,
  readAppsPage,
  readBuildsPage,
  readErrorEntries,
  readPreReleaseVersionsPage,
  readUploadsPage,
  ShapeError
} from '../src/apple/shapes.js'
import { secrets } from '../src/secrets.js'
import { appsPage, buildsPage } from './support/documents.js'
import { captureStdout } from './support/stdout.js'

const BUILD = { id: 'b1', version: '630', uploaded: '2026-11-20T10:00:00-08:00' }

function problem(read: () => unknown): string {
  try {
    read()
  } catch (error) {
    expect(error).toBeInstanceOf(ShapeError)
    return (error as Error).message
  }
  throw new Error('the answer was read')
}

describe('readBuildsPage', () => {
  it('keeps the fields the action reads, and only those', () => {
    const page = buildsPage(
      [BUILD],
      'https://api.appstoreconnect.apple.com/v1/builds?cursor=2'
    ) as {
      data: Array<Record<string, unknown>>
    }
    page.data[0]!.attributes = {
      ...(page.data[0]!.attributes as object),
      surprise: 'x'.repeat(10_000)
    }
    const read = readBuildsPage(page)
    expect(read.data[0]).toMatchObject({ type: 'builds', id: 'b1', attributes: { version: '630' } })
    expect(JSON.stringify(read)).not.toContain('surprise')
    expect(read.included).toEqual([
      { type: 'preReleaseVersions', id: 'prv-1', attributes: { version: '2.4.0', platform: 'IOS' } }
    ])
    expect(read.links).toEqual({ next: 'https://api.appstoreconnect.apple.com/v1/builds?cursor=2' })
  })

  it('takes null for a missing value', () => {
    const page = buildsPage([BUILD]) as { data: Array<{ attributes: Record<string, unknown> }> }
    page.data[0]!.attributes.iconAssetToken = null
    page.data[0]!.attributes.minOsVersion = null
    const attributes = readBuildsPage(page).data[0]!.attributes!
    expect(attributes.iconAssetToken).toBeUndefined()
    expect('minOsVersion' in attributes).toBe(false)
  })

  it.each<[string, unknown, string]>([
    ['an array', [], 'the answer is a list, not an object'],
    ['no data', {}, 'data is missing, not a list'],
    [
      'a resource of another type',
      { data: [{ type: 'apps', id: '1' }] },
      'data[0].type is not "builds"'
    ],
    ['an empty id', { data: [{ type: 'builds', id: '' }] }, 'data[0].id is empty'],
    [
      'a very long version',
      { data: [{ type: 'builds', id: 'b', attributes: { version: '1'.repeat(2000) } }] },
      'data[0].attributes.version is 2000 characters long, more than 1024'
    ],
    [
      'a relationship without an id',
      {
        data: [
          { type: 'builds', id: 'b', relationships: { preReleaseVersion: { data: { type: 'x' } } } }
        ]
      },
      'data[0].relationships.preReleaseVersion.data.id is missing, not text'
    ]
  ])('says what is wrong with %s', (_case, body, message) => {
    expect(problem(() => readBuildsPage(body))).toBe(message)
  })
})

describe('readAppsPage and readAppInstance', () => {
  it('read apps, and refuse an id that is not an Apple ID', () => {
    expect(readAppsPage(appsPage([{ id: '1', bundleId: 'com.a' }])).data[0]).toEqual({
      type: 'apps',
      id: '1',
      attributes: { bundleId: 'com.a' }
    })
    expect(problem(() => readAppsPage(appsPage([{ id: 'x/../y', bundleId: 'com.a' }])))).toBe(
      'data[0].id is not an Apple ID (digits)'
    )
    expect(problem(() => readAppInstance({ data: [] }))).toBe('data is a list, not an object')
  })
})

describe('readErrorEntries', () => {
  it('is lenient, cuts long text after redacting, and keeps five entries at most', () => {
    const secret = 'S'.repeat(600)
    captureStdout()
    secrets.add(secret)
    jest.restoreAllMocks()
    const entries = readErrorEntries({
      errors: [
        { code: 'X', detail: `token ${secret} end`, source: { parameter: 42 } },
        'not an entry',
        ...Array.from({ length: 9 }, () => ({ code: 'Y' }))
      ]
    })
    expect(entries).toHaveLength(5)
    expect(entries[0]).toMatchObject({ code: 'X', detail: 'token *** end' })
    expect(entries[0]!.source?.parameter).toBeUndefined()
    expect(readErrorEntries({ errors: [{ detail: 'd'.repeat(900) }] })[0]!.detail).toHaveLength(501)
    expect(readErrorEntries('<html>')).toEqual([])
  })
})

/** A build resource as Apple sends it, every field the action reads filled in. */
const fullBuild = (): Record<string, unknown> => ({
  type: 'builds',
  id: 'b1',
  attributes: {
    version: '630',
    uploadedDate: '2026-11-20T10:00:00-08:00',
    expirationDate: '2027-02-18T10:00:00-08:00',
    expired: false,
    minOsVersion: '17.0',
    iconAssetToken: { templateUrl: 'https://e.example/{w}x{h}bb.{f}', width: 1024, height: 0 },
    processingState: 'VALID',
    buildAudienceType: 'INTERNAL_ONLY',
    usesNonExemptEncryption: true,
    // Apple sends nulls, and attributes its OpenAPI document does not list.
    lsMinimumSystemVersion: null,
    computedMinRealityOsVersion: null,
    qcState: 'BETA_INTERNAL_TESTING'
  },
  relationships: {
    preReleaseVersion: { data: { type: 'preReleaseVersions', id: 'prv-1' } },
    buildBetaDetail: { data: { type: 'buildBetaDetails', id: 'bbd-1' } }
  }
})

const fullUpload = (): Record<string, unknown> => ({
  type: 'buildUploads',
  id: 'u1',
  attributes: {
    cfBundleVersion: '631',
    cfBundleShortVersionString: '2.4',
    platform: 'IOS',
    createdDate: '2026-11-27T10:00:00-08:00',
    uploadedDate: '2026-11-27T10:01:00-08:00',
    state: { state: 'FAILED', errors: [{ code: 'E1', description: 'Invalid binary.' }] }
  }
})

/** The document with the value at `path` (dots and [index]) replaced. */
function withValue(document: unknown, path: string, value: unknown): unknown {
  const copy = structuredClone(document) as Record<string, unknown>
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.')
  let at = copy as Record<string, unknown>
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>
  at[keys.at(-1)!] = value
  return copy
}

describe('the readers name the exact place of what they cannot read', () => {
  const builds = { data: [fullBuild()], included: [], links: {} }
  const NOT_OBJECT = 'is a number, not an object'
  const NOT_TEXT = 'is a number, not text'
  it.each([
    ['data[0].attributes', NOT_OBJECT],
    ['data[0].attributes.version', NOT_TEXT],
    ['data[0].attributes.uploadedDate', NOT_TEXT],
    ['data[0].attributes.expirationDate', NOT_TEXT],
    ['data[0].attributes.minOsVersion', NOT_TEXT],
    ['data[0].attributes.iconAssetToken', NOT_OBJECT],
    ['data[0].attributes.iconAssetToken.templateUrl', NOT_TEXT],
    ['data[0].attributes.processingState', NOT_TEXT],
    ['data[0].attributes.buildAudienceType', NOT_TEXT],
    ['data[0].relationships', NOT_OBJECT],
    ['data[0].relationships.preReleaseVersion', NOT_OBJECT],
    ['data[0].relationships.preReleaseVersion.data', NOT_OBJECT],
    ['data[0].relationships.preReleaseVersion.data.type', NOT_TEXT],
    ['data[0].relationships.buildBetaDetail.data.id', NOT_TEXT],
    ['links', NOT_OBJECT],
    ['links.next', NOT_TEXT]
  ])('a build page with %s of the wrong kind', (path, message) => {
    expect(problem(() => readBuildsPage(withValue(builds, path, 7)))).toBe(`${path} ${message}`)
  })

  it.each([
    ['data[0].attributes.expired', 'is text, not true or false'],
    ['data[0].attributes.usesNonExemptEncryption', 'is text, not true or false'],
    ['data[0].attributes.iconAssetToken.width', 'is text, not a whole number of pixels'],
    ['data[0].attributes.iconAssetToken.height', 'is text, not a whole number of pixels']
  ])('a build page with %s as text', (path, message) => {
    expect(problem(() => readBuildsPage(withValue(builds, path, 'yes')))).toBe(`${path} ${message}`)
  })

  it.each([
    ['included', 7, 'is a number, not a list'],
    ['included[0]', 'x', 'is text, not an object'],
    ['included[0].type', 7, 'is a number, not text'],
    ['included[0].id', 7, 'is a number, not text'],
    ['included[0].attributes', 7, 'is a number, not an object'],
    ['included[0].attributes.version', 7, 'is a number, not text'],
    ['included[1].attributes.externalBuildState', true, 'is a boolean, not text']
  ])('a build page with %s of the wrong kind', (path, value, message) => {
    const page = {
      data: [],
      included: [
        {
          type: 'preReleaseVersions',
          id: 'prv-1',
          attributes: { version: '2.4', platform: 'IOS' }
        },
        {
          type: 'buildBetaDetails',
          id: 'bbd-1',
          attributes: { externalBuildState: 'IN_BETA_REVIEW' }
        }
      ]
    }
    expect(problem(() => readBuildsPage(withValue(page, path, value)))).toBe(`${path} ${message}`)
  })

  it.each([
    [readAppsPage, { data: [{ type: 'apps', id: '1', attributes: { bundleId: 'a' } }] }],
    [readUploadsPage, { data: [fullUpload()] }],
    [
      readPreReleaseVersionsPage,
      { data: [{ type: 'preReleaseVersions', id: 'p', attributes: {} }] }
    ]
  ] as Array<[(body: unknown) => unknown, Record<string, unknown>]>)(
    'every page reader names the answer, its data and each item',
    (read, page) => {
      expect(problem(() => read(null))).toBe('the answer is null, not an object')
      expect(problem(() => read({}))).toBe('data is missing, not a list')
      expect(problem(() => read({ data: [null] }))).toBe('data[0] is null, not an object')
      expect(problem(() => read(withValue(page, 'data[0].type', 'builds')))).toMatch(
        /^data\[0\]\.type is not "(apps|buildUploads|preReleaseVersions)"$/
      )
      expect(problem(() => read(withValue(page, 'data[0].id', 7)))).toBe(
        'data[0].id is a number, not text'
      )
      expect(problem(() => read(withValue(page, 'data[0].attributes', [])))).toBe(
        'data[0].attributes is a list, not an object'
      )
    }
  )

  it.each([
    'data[0].attributes.cfBundleVersion',
    'data[0].attributes.cfBundleShortVersionString',
    'data[0].attributes.platform',
    'data[0].attributes.createdDate',
    'data[0].attributes.uploadedDate',
    'data[0].attributes.state.state'
  ])('an upload page with %s of the wrong kind', path => {
    expect(problem(() => readUploadsPage(withValue({ data: [fullUpload()] }, path, 7)))).toBe(
      `${path} is a number, not text`
    )
  })

  it('an upload page with its state or its errors of the wrong kind', () => {
    const page = { data: [fullUpload()] }
    expect(problem(() => readUploadsPage(withValue(page, 'data[0].attributes.state', 7)))).toBe(
      'data[0].attributes.state is a number, not an object'
    )
    expect(
      problem(() => readUploadsPage(withValue(page, 'data[0].attributes.state.errors', 'x')))
    ).toBe('data[0].attributes.state.errors is text, not a list')
  })

  it('the versions page and an app with a field of the wrong kind', () => {
    expect(
      problem(() =>
        readPreReleaseVersionsPage({
          data: [{ type: 'preReleaseVersions', id: 'p', attributes: { version: 1.7 } }]
        })
      )
    ).toBe('data[0].attributes.version is a number, not text')
    expect(
      problem(() =>
        readAppsPage({ data: [{ type: 'apps', id: '1', attributes: { bundleId: {} } }] })
      )
    ).toBe('data[0].attributes.bundleId is an object, not text')
    expect(problem(() => readAppInstance({ data: { type: 'apps', id: '12x' } }))).toBe(
      'data.id is not an Apple ID (digits)'
    )
    expect(problem(() => readAppInstance({ data: { type: 'apps', id: 'x12' } }))).toBe(
      'data.id is not an Apple ID (digits)'
    )
    expect(problem(() => readAppInstance([]))).toBe('the answer is a list, not an object')
  })
})

describe('the readers keep exactly what Apple sent of what they read', () => {
  it('a full build, its included details, and the next link', () => {
    const page = readBuildsPage({
      data: [fullBuild()],
      included: [
        {
          type: 'preReleaseVersions',
          id: 'prv-1',
          attributes: { version: '2.4', platform: 'IOS', x: 1 }
        },
        {
          type: 'buildBetaDetails',
          id: 'bbd-1',
          attributes: { internalBuildState: 'IN_BETA_TESTING' }
        },
        { type: 'apps', id: '1', attributes: { name: 'not read' } }
      ],
      links: { self: 'https://e.example/self', next: 'https://e.example/next' }
    })
    // What the action does not read is dropped: nulls, and attributes Apple does not document.
    const read = fullBuild() as { attributes: Record<string, unknown> }
    for (const name of ['lsMinimumSystemVersion', 'computedMinRealityOsVersion', 'qcState']) {
      expect(Object.hasOwn(read.attributes, name)).toBe(true)
      delete read.attributes[name]
    }
    expect(page).toStrictEqual({
      data: [read],
      included: [
        {
          type: 'preReleaseVersions',
          id: 'prv-1',
          attributes: { version: '2.4', platform: 'IOS' }
        },
        {
          type: 'buildBetaDetails',
          id: 'bbd-1',
          attributes: { internalBuildState: 'IN_BETA_TESTING' }
        }
      ],
      links: { next: 'https://e.example/next' }
    })
  })

  it('leaves out what Apple left out or sent as null, but keeps an unanswered encryption question', () => {
    const bare = readBuildsPage({ data: [{ type: 'builds', id: 'b', attributes: null }] })
    expect(bare).toStrictEqual({
      data: [{ type: 'builds', id: 'b', attributes: {} }],
      included: [],
      links: {}
    })
    const nulls = readBuildsPage({
      data: [
        {
          type: 'builds',
          id: 'b',
          attributes: {
            expired: null,
            usesNonExemptEncryption: null,
            iconAssetToken: { width: null }
          },
          relationships: { preReleaseVersion: { data: null }, buildBetaDetail: null }
        }
      ],
      included: null,
      links: null
    })
    expect(nulls).toStrictEqual({
      data: [
        {
          type: 'builds',
          id: 'b',
          attributes: { usesNonExemptEncryption: null, iconAssetToken: {} }
        }
      ],
      included: [],
      links: {}
    })
    const answered = readBuildsPage({
      data: [{ type: 'builds', id: 'b', attributes: { usesNonExemptEncryption: false } }]
    })
    expect(answered.data[0]!.attributes).toStrictEqual({ usesNonExemptEncryption: false })
  })

  it('an upload in full, and one without a state', () => {
    expect(readUploadsPage({ data: [fullUpload()] }).data).toStrictEqual([fullUpload()])
    const stateless = { type: 'buildUploads', id: 'u2', attributes: { cfBundleVersion: '7' } }
    expect(
      readUploadsPage({ data: [stateless], links: { next: 'https://e.example/2' } })
    ).toStrictEqual({
      data: [stateless],
      builds: [],
      links: { next: 'https://e.example/2' }
    })
  })

  it('an upload’s failure reasons leniently: ten at most, objects only, text only', () => {
    const errors = [
      'not a reason',
      { code: 7, description: 'Only a description.' },
      { code: 'ONLY_CODE', description: false },
      ...Array.from({ length: 12 }, (_, index) => ({ code: `E${index}` }))
    ]
    const read = readUploadsPage({
      data: [withValue(fullUpload(), 'attributes.state.errors', errors)]
    }).data[0]!.attributes!.state!.errors!
    expect(read).toStrictEqual([
      { description: 'Only a description.' },
      { code: 'ONLY_CODE' },
      ...Array.from({ length: 8 }, (_, index) => ({ code: `E${index}` }))
    ])
    const none = readUploadsPage({
      data: [withValue(fullUpload(), 'attributes.state.errors', null)]
    }).data[0]!.attributes!.state!
    expect(none).toStrictEqual({ state: 'FAILED', errors: [] })
  })

  it('an app and a version', () => {
    expect(
      readAppInstance({ data: { type: 'apps', id: '42', attributes: { name: 'x' } } })
    ).toStrictEqual({
      data: { type: 'apps', id: '42', attributes: {} }
    })
    expect(
      readPreReleaseVersionsPage({
        data: [
          { type: 'preReleaseVersions', id: 'p', attributes: { version: '1.07', platform: 'IOS' } }
        ]
      })
    ).toStrictEqual({
      data: [{ type: 'preReleaseVersions', id: 'p', attributes: { version: '1.07' } }],
      links: {}
    })
  })
})

describe('the readers’ limits', () => {
  const withVersion = (version: string): unknown => ({
    data: [{ type: 'builds', id: 'b', attributes: { version } }]
  })

  it('take text of up to 1024 characters and ids of up to 128', () => {
    expect(readBuildsPage(withVersion('1'.repeat(1024))).data[0]!.attributes!.version).toHaveLength(
      1024
    )
    expect(problem(() => readBuildsPage(withVersion('1'.repeat(1025))))).toBe(
      'data[0].attributes.version is 1025 characters long, more than 1024'
    )
    expect(
      readBuildsPage({ data: [{ type: 'builds', id: 'b'.repeat(128) }] }).data[0]!.id
    ).toHaveLength(128)
    expect(problem(() => readBuildsPage({ data: [{ type: 'builds', id: 'b'.repeat(129) }] }))).toBe(
      'data[0].id is 129 characters long, more than 128'
    )
  })

  it.each([
    [0, true],
    [100_000, true],
    [-1, false],
    [100_001, false],
    [1.5, false]
  ])('take an icon %d pixels wide: %s', (width, taken) => {
    const read = (): unknown =>
      readBuildsPage({
        data: [{ type: 'builds', id: 'b', attributes: { iconAssetToken: { width } } }]
      })
    if (taken)
      expect(read()).toMatchObject({ data: [{ attributes: { iconAssetToken: { width } } }] })
    else
      expect(problem(read)).toBe(
        'data[0].attributes.iconAssetToken.width is a number, not a whole number of pixels'
      )
  })

  it('read links.see, and entries without an id or a detail, as Apple sends them', () => {
    const entries = readErrorEntries({
      errors: [
        {
          status: '401',
          code: 'NOT_AUTHORIZED',
          title: 'Authentication credentials are missing or invalid.'
        },
        {
          id: 'QX7ZK2LMPN4RT6VW8YB3CD5EFG',
          status: '403',
          code: 'FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED',
          title: 'A required agreement is missing or has expired.',
          links: { see: '/agreements' }
        },
        { code: 'X', links: { see: 42 } }
      ]
    })
    expect(entries.map(entry => [entry.code, entry.detail, entry.see])).toEqual([
      ['NOT_AUTHORIZED', undefined, undefined],
      ['FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED', undefined, '/agreements'],
      ['X', undefined, undefined]
    ])
  })

  it('cut an error’s text only past its limit', () => {
    const exactly = readErrorEntries({ errors: [{ detail: 'd'.repeat(500) }] })[0]!.detail
    expect(exactly).toBe('d'.repeat(500))
  })

  it('keep error entries that are objects, in order, each with what it said', () => {
    expect(
      readErrorEntries({
        errors: [
          null,
          { status: '400', code: 'A', title: 'T', detail: 'D', source: { parameter: 'sort' } },
          ['x'],
          { code: 'B' }
        ]
      })
    ).toStrictEqual([
      { status: '400', code: 'A', title: 'T', detail: 'D', source: { parameter: 'sort' } },
      {
        status: undefined,
        code: 'B',
        title: undefined,
        detail: undefined,
        source: { parameter: undefined }
      }
    ])
  })
})

describe('state errors of an upload', () => {
  it('keeps a code or a description only when it is text', () => {
    const page = readUploadsPage(
      withValue({ data: [fullUpload()] }, 'data[0].attributes.state.errors', [
        { code: 'E1', description: 42 },
        { code: 7, description: 'Invalid binary.' }
      ])
    )
    expect(page.data[0]!.attributes?.state?.errors).toEqual([
      { code: 'E1' },
      { description: 'Invalid binary.' }
    ])
  })
})
