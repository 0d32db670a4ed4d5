import { describe, expect, it } from '@jest/globals'
import { appLabel, resolveAppId } from '../src/choose/app-lookup.js'
import { appleError, appsPage } from './support/documents.js'
import { API, mockApi } from './support/mock-api.js'

describe('resolveAppId', () => {
  it('matches the bundle id exactly among Apple’s prefix matches, in one request', async () => {
    const { client, seen } = mockApi(() => ({
      body: appsPage([
        { id: '2', bundleId: 'com.example.weather.widget' },
        { id: '1', bundleId: 'com.example.weather' },
        { id: '3', bundleId: 'com.example.weatherpro' }
      ])
    }))
    expect(await resolveAppId(client, { bundleId: 'com.example.weather' })).toBe('1')
    expect(seen).toHaveLength(1)
    expect(Object.fromEntries(seen[0]!.query)).toEqual({
      'filter[bundleId]': 'com.example.weather',
      'fields[apps]': 'bundleId,name',
      limit: '200'
    })
  })

  it('reads the next page only when the exact match is not on the first', async () => {
    const { client, seen } = mockApi((_path, query) =>
      query.get('cursor')
        ? { body: appsPage([{ id: '1', bundleId: 'com.example.weather' }]) }
        : {
            body: appsPage(
              [{ id: '2', bundleId: 'com.example.weather.widget' }],
              `${API}/v1/apps?cursor=2`
            )
          }
    )
    expect(await resolveAppId(client, { bundleId: 'com.example.weather' })).toBe('1')
    expect(seen).toHaveLength(2)
  })

  it('names the bundle id and suggests the closest ones the key can see', async () => {
    const everyApp = [
      { id: '1', bundleId: 'com.example.news' },
      { id: '2', bundleId: 'com.example.weather' },
      { id: '3', bundleId: 'com.example.weatherpro' },
      { id: '4', bundleId: 'org.other.thing' },
      { id: '5', bundleId: 'com.example.weather.widget' }
    ]
    const { client, seen } = mockApi((_path, query) => ({
      body: appsPage(query.has('filter[bundleId]') ? [] : everyApp)
    }))
    await expect(resolveAppId(client, { bundleId: 'com.example.wether' })).rejects.toThrow(
      /No app with bundle id com.example.wether is visible to this API key.* The closest it can see: com.example.weather, com.example.weatherpro, com.example.news\.$/
    )
    expect(seen.map(request => Object.fromEntries(request.query))).toEqual([
      {
        'filter[bundleId]': 'com.example.wether',
        'fields[apps]': 'bundleId,name',
        limit: '200'
      },
      { 'fields[apps]': 'bundleId', limit: '200' }
    ])
  })

  it('finds the app in the full list when Apple’s bundle id filter misses it', async () => {
    // filter[bundleId] has failed before (long bundle ids, 2022): the exact match is then
    // looked for among every app the key can see.
    const { client, seen } = mockApi((_path, query) => ({
      body: appsPage(
        query.has('filter[bundleId]')
          ? []
          : [
              { id: '7', bundleId: 'com.example.averyveryverylongbundleidentifier' },
              { id: '8', bundleId: 'com.example.other' }
            ]
      )
    }))
    expect(
      await resolveAppId(client, { bundleId: 'com.example.averyveryverylongbundleidentifier' })
    ).toBe('7')
    expect(seen).toHaveLength(2)
  })

  it('still names the missing bundle id when the suggestions cannot be listed', async () => {
    const { client } = mockApi((_path, query) =>
      query.has('filter[bundleId]')
        ? { body: appsPage([]) }
        : { status: 403, body: appleError(403, 'FORBIDDEN_ERROR', 'not allowed') }
    )
    await expect(resolveAppId(client, { bundleId: 'com.example.wether' })).rejects.toThrow(
      /^No app with bundle id com.example.wether is visible to this API key: check bundle-id .*use app-id\.$/
    )
  })

  it('matches the bundle id with its case: com.example.Weather is another app', async () => {
    // Apple's filter may answer without regard to case; the README says case matters.
    const { client, seen } = mockApi(() => ({
      body: appsPage([{ id: '9', bundleId: 'com.example.Weather' }])
    }))
    await expect(resolveAppId(client, { bundleId: 'com.example.weather' })).rejects.toThrow(
      /^No app with bundle id com.example.weather is visible to this API key: check bundle-id \(it must match exactly, case included\).* The closest it can see: com.example.Weather\.$/
    )
    expect(seen).toHaveLength(2)
    await expect(resolveAppId(client, { bundleId: 'com.example.Weather' })).resolves.toBe('9')
  })

  it('takes an app id as it is, with no request', async () => {
    const { client, seen } = mockApi(() => undefined)
    expect(await resolveAppId(client, { appId: '42' })).toBe('42')
    expect(seen).toHaveLength(0)
  })
})

describe('resolveAppId, what it asks and says', () => {
  it('says it was listing the apps the key can see when that is retried', async () => {
    let listings = 0
    const { client, infos } = mockApi((_path, query) => {
      if (query.has('filter[bundleId]')) return { body: appsPage([]) }
      return listings++ === 0
        ? { status: 503, body: appleError(503, 'UNAVAILABLE', 'Later.') }
        : { body: appsPage([{ id: '1', bundleId: 'com.example.weathr' }]) }
    })
    await expect(resolveAppId(client, { bundleId: 'com.example.weather' })).rejects.toThrow(
      /The closest it can see: com\.example\.weathr\.$/
    )
    expect(infos).toEqual([
      expect.stringMatching(
        /^App Store Connect answered 503 while listing the apps the key can see; retrying/
      )
    ])
  })

  it('asks /v1/apps, by bundle id then for every app', async () => {
    const { client, seen } = mockApi(() => ({ body: appsPage([]) }))
    await resolveAppId(client, { bundleId: 'com.example.weather' }).catch(() => undefined)
    expect(seen.map(request => request.path)).toEqual(['/v1/apps', '/v1/apps'])
  })

  it('suggests only what the key sees, skipping apps without a bundle id', async () => {
    const { client } = mockApi((_path, query) =>
      query.has('filter[bundleId]')
        ? { body: appsPage([]) }
        : {
            body: {
              data: [
                { type: 'apps', id: '1', attributes: {} },
                { type: 'apps', id: '2', attributes: { bundleId: 'com.example.news' } }
              ]
            }
          }
    )
    await expect(resolveAppId(client, { bundleId: 'com.example.weather' })).rejects.toThrow(
      /The closest it can see: com\.example\.news\.$/
    )
  })

  it('says what it was doing when Apple refuses the lookup', async () => {
    const { client } = mockApi(() => ({
      status: 403,
      body: appleError(403, 'FORBIDDEN_ERROR', 'No.')
    }))
    await expect(resolveAppId(client, { bundleId: 'com.example.weather' })).rejects.toThrow(
      /^App Store Connect answered 403 while looking up bundle id com\.example\.weather: /
    )
  })

  it('reports a cancelled job as cancelled, not as a missing app', async () => {
    const stop = new AbortController()
    // Cancelled while listing every app, after the bundle id filter found nothing.
    const { client } = mockApi(
      (_path, query) => {
        if (!query.has('filter[bundleId]')) stop.abort()
        return { body: appsPage([]) }
      },
      { signal: stop.signal }
    )
    await expect(resolveAppId(client, { bundleId: 'com.example.weather' })).rejects.toMatchObject({
      name: 'AbortError'
    })
  })
})

describe('appLabel', () => {
  it('says as much of the app as is known', () => {
    expect(appLabel({ appId: '1600000001' }, '1600000001')).toBe('app 1600000001')
    const byBundle = { bundleId: 'com.example.weather' }
    expect(appLabel(byBundle, '1600000001')).toBe('app 1600000001 (com.example.weather)')
    expect(appLabel(byBundle, undefined)).toBe('the app (com.example.weather)')
  })
})
