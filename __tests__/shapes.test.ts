import { describe, expect, it } from '@jest/globals'
import {
  readAppInstance,
  readAppsPage,
  readBuildsPage,
  readErrorEntries,
  ShapeError
} from '../src/apple/shapes.js'
import { appsPage, buildsPage } from './support/documents.js'

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
    const entries = readErrorEntries(
      {
        errors: [
          { code: 'X', detail: `token ${secret} end`, source: { parameter: 42 } },
          'not an entry',
          ...Array.from({ length: 9 }, () => ({ code: 'Y' }))
        ]
      },
      text => text.split(secret).join('***')
    )
    expect(entries).toHaveLength(5)
    expect(entries[0]).toMatchObject({ code: 'X', detail: 'token *** end' })
    expect(entries[0]!.source?.parameter).toBeUndefined()
    expect(readErrorEntries({ errors: [{ detail: 'd'.repeat(900) }] })[0]!.detail).toHaveLength(501)
    expect(readErrorEntries('<html>')).toEqual([])
  })
})
