// App Store versions: the planted versions, GET /v1/apps/{id}/appStoreVersions with its filters,
// include, order and paging, the attached build, the builds' appStoreVersion relationship, and
// versions moving through review on the timeline.
import { describe, expect, it } from '@jest/globals'
import {
  appStoreStateOf,
  generateCatalogue,
  MAIN_BUNDLE_ID,
  NEWEST_UPLOAD_BUNDLE_ID,
  type Catalogue,
  type CollectionDocument,
  type ErrorDocument,
  type InstanceDocument,
  type LandmarkName,
  type Resource,
  type Sandbox,
  type SandboxAppStoreVersion
} from '../../sandbox/index.js'
import { APP_STORE_STATES, APP_VERSION_STATES } from '../../sandbox/operations.js'
import { fetchAll, getOn, makeKey, NOW, sandboxForFile, token, withSandbox } from './helpers.js'

const key = makeKey('ASVKEY0001', 'issuer-app-store-versions')
const bearer = token(key)
const catalogue = generateCatalogue({ seed: 1, now: NOW })
const sandbox = sandboxForFile({ catalogue, keys: [key] })
const get = getOn(sandbox, bearer)

const appOf = (c: Catalogue, bundleId: string) => c.apps.find(a => a.bundleId === bundleId)!
const main = appOf(catalogue, MAIN_BUNDLE_ID)
const widget = appOf(catalogue, NEWEST_UPLOAD_BUNDLE_ID)
const versionAt = (c: Catalogue, name: LandmarkName) =>
  c.appStoreVersions!.find(v => v.id === c.landmarks[name])!
const buildOf = (c: Catalogue, version: SandboxAppStoreVersion) =>
  c.builds.find(b => b.id === version.buildId)!
const trainOf = (c: Catalogue, buildId: string) => {
  const build = c.builds.find(b => b.id === buildId)!
  return c.preReleaseVersions.find(p => p.id === build.preReleaseVersionId)!
}
const replaced = versionAt(catalogue, 'weather.ios.appStore.replaced')
const live = versionAt(catalogue, 'weather.ios.appStore.live')
const preparing = versionAt(catalogue, 'weather.ios.appStore.preparing')
const macLive = versionAt(catalogue, 'weather.mac.appStore.live')
const waiting = versionAt(catalogue, 'widget.ios.appStore.waitingForReview')

const ids = (res: { body: CollectionDocument }) => res.body.data.map(r => r.id)
const versionsOf = (appId: string, query = '') =>
  get(`/v1/apps/${appId}/appStoreVersions${query ? `?${query}` : ''}`)
const PACIFIC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0[78]:00$/
const numeric = (version: string) => version.split('.').map(Number)
/** Marketing versions compared part by part, as Apple does. */
const olderThan = (a: string, b: string) => {
  const [x, y] = [numeric(a), numeric(b)]
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0)
  }
  return false
}

describe('the two state attributes', () => {
  it('pair each appVersionState with one appStoreState: the same name, or the renamed pair', () => {
    const pairs = APP_VERSION_STATES.map(state => [state, appStoreStateOf(state)] as const)
    for (const [, old] of pairs) expect(APP_STORE_STATES).toContain(old)
    expect(pairs.filter(([state, old]) => state !== old)).toEqual([
      ['PROCESSING_FOR_DISTRIBUTION', 'PROCESSING_FOR_APP_STORE'],
      ['READY_FOR_DISTRIBUTION', 'READY_FOR_SALE']
    ])
    // One to one: no two new states share an old one.
    expect(new Set(pairs.map(([, old]) => old)).size).toBe(pairs.length)
  })
})

describe('the planted App Store versions', () => {
  it('weather iOS: a replaced version, the live one with a long-expired build, one being prepared', () => {
    expect(replaced).toMatchObject({
      platform: 'IOS',
      appVersionState: 'REPLACED_WITH_NEW_VERSION'
    })
    expect(live).toMatchObject({ platform: 'IOS', appVersionState: 'READY_FOR_DISTRIBUTION' })
    expect(preparing).toMatchObject({
      platform: 'IOS',
      appVersionState: 'PREPARE_FOR_SUBMISSION',
      copyright: null
    })
    const current = catalogue.preReleaseVersions.find(
      p => p.id === catalogue.landmarks['weather.ios.currentTrain']
    )!
    expect(preparing.versionString).toBe(current.version)
    expect(olderThan(replaced.versionString, live.versionString)).toBe(true)
    expect(olderThan(live.versionString, preparing.versionString)).toBe(true)

    // On sale, yet past its TestFlight expiration: expiry is a TestFlight notion.
    const onSale = buildOf(catalogue, live)
    expect(onSale).toMatchObject({
      processingState: 'VALID',
      buildAudienceType: 'APP_STORE_ELIGIBLE',
      expired: true
    })
    expect(Date.parse(onSale.expirationDate)).toBeLessThan(NOW.getTime())
    expect(trainOf(catalogue, onSale.id).version).toBe(live.versionString)
    // Nothing was uploaded to the live version string after it was approved: the hotfix train
    // that still gets uploads is not the live one.
    expect(trainOf(catalogue, catalogue.landmarks['weather.ios.latestValid']!).version).not.toBe(
      live.versionString
    )
    // The build a submission could use on the current train.
    expect(preparing.buildId).toBe(catalogue.landmarks['weather.ios.betaRejected'])
    expect(trainOf(catalogue, replaced.buildId!).version).toBe(replaced.versionString)
  })

  it('weather macOS: a live version with another build than iOS’s', () => {
    expect(macLive).toMatchObject({ platform: 'MAC_OS', appVersionState: 'READY_FOR_DISTRIBUTION' })
    expect(macLive.buildId).not.toBe(live.buildId)
    expect(trainOf(catalogue, macLive.buildId!)).toMatchObject({
      platform: 'MAC_OS',
      version: macLive.versionString
    })
  })

  it('the widget: no live version, only one waiting for review with its train’s first build', () => {
    const own = catalogue.appStoreVersions!.filter(v => v.appId === widget.id)
    expect(own).toEqual([waiting])
    expect(waiting).toMatchObject({
      platform: 'IOS',
      appVersionState: 'WAITING_FOR_REVIEW',
      releaseType: 'AFTER_APPROVAL'
    })
    expect(trainOf(catalogue, waiting.buildId!).id).toBe(catalogue.landmarks['widget.ios.newTrain'])
    expect(waiting.buildId).not.toBe(catalogue.landmarks['widget.ios.newest'])
  })

  it.each([2, 3, 42])('are planted with seed %i too, deterministically', seed => {
    const other = generateCatalogue({ seed, now: NOW })
    for (const name of [
      'weather.ios.appStore.replaced',
      'weather.ios.appStore.live',
      'weather.ios.appStore.preparing',
      'weather.mac.appStore.live',
      'widget.ios.appStore.waitingForReview'
    ] as const) {
      expect(versionAt(other, name)).toBeDefined()
    }
    expect(buildOf(other, versionAt(other, 'weather.ios.appStore.live')).expired).toBe(true)
    expect(versionAt(other, 'weather.ios.appStore.preparing').buildId).toBe(
      other.landmarks['weather.ios.betaRejected']
    )
    expect(generateCatalogue({ seed, now: NOW }).appStoreVersions).toEqual(other.appStoreVersions)
  })
})

describe('GET /v1/apps/{id}/appStoreVersions', () => {
  it('renders a version in the shape of the recorded resource', async () => {
    const res = await versionsOf(main.id, `filter[id]=${live.id}`)
    expect(res.status).toBe(200)
    const [resource] = res.body.data
    const self = `${sandbox.url}/v1/appStoreVersions/${live.id}`
    expect(resource).toMatchObject({ type: 'appStoreVersions', id: live.id, links: { self } })
    // Attributes in the schema's order, unset ones as explicit nulls.
    expect(resource!.attributes).toEqual({
      platform: 'IOS',
      versionString: live.versionString,
      appStoreState: 'READY_FOR_SALE',
      appVersionState: 'READY_FOR_DISTRIBUTION',
      copyright: live.copyright,
      reviewType: 'APP_STORE',
      releaseType: 'MANUAL',
      earliestReleaseDate: null,
      usesIdfa: null,
      downloadable: true,
      createdDate: live.createdDate
    })
    expect(Object.keys(resource!.attributes!)).toEqual([
      'platform',
      'versionString',
      'appStoreState',
      'appVersionState',
      'copyright',
      'reviewType',
      'releaseType',
      'earliestReleaseDate',
      'usesIdfa',
      'downloadable',
      'createdDate'
    ])
    expect(live.createdDate).toMatch(PACIFIC)
    // Links only, no linkage, and no `app` (it has data only, given when asked for).
    const relationships = resource!.relationships!
    expect(Object.keys(relationships)).toEqual([
      'appStoreVersionLocalizations',
      'build',
      'appStoreVersionPhasedRelease',
      'gameCenterAppVersion',
      'routingAppCoverage',
      'appStoreReviewDetail',
      'appStoreVersionSubmission',
      'appClipDefaultExperience',
      'appStoreVersionExperiments',
      'appStoreVersionExperimentsV2',
      'customerReviews',
      'alternativeDistributionPackage'
    ])
    expect(relationships['build']).toEqual({
      links: { self: `${self}/relationships/build`, related: `${self}/build` }
    })
  })

  it('answers oldest first (Apple documents no order): data[0] is not the live version', async () => {
    const all = await versionsOf(main.id)
    const expected = catalogue
      .appStoreVersions!.filter(v => v.appId === main.id)
      .sort((a, b) => Date.parse(a.createdDate) - Date.parse(b.createdDate))
    expect(ids(all)).toEqual(expected.map(v => v.id))
    const created = all.body.data.map(r => Date.parse(r.attributes!['createdDate'] as string))
    expect(created).toEqual([...created].sort((a, b) => a - b))
    const ios = await versionsOf(main.id, 'filter[platform]=IOS')
    expect(ids(ios)).toEqual([replaced.id, live.id, preparing.id])
    // The same order on every request.
    expect(ids(await versionsOf(main.id, 'filter[platform]=IOS'))).toEqual(ids(ios))
  })

  it('filters by appVersionState and by the older appStoreState alike, values ORed', async () => {
    const onSale = await versionsOf(main.id, 'filter[appVersionState]=READY_FOR_DISTRIBUTION')
    // Both platforms have a live version: without filter[platform], two answers.
    expect(new Set(ids(onSale))).toEqual(new Set([live.id, macLive.id]))
    expect(ids(await versionsOf(main.id, 'filter[appStoreState]=READY_FOR_SALE'))).toEqual(
      ids(onSale)
    )
    for (const resource of onSale.body.data) {
      expect(resource.attributes).toMatchObject({
        appVersionState: 'READY_FOR_DISTRIBUTION',
        appStoreState: 'READY_FOR_SALE'
      })
    }
    const either = await versionsOf(
      main.id,
      'filter[appVersionState]=READY_FOR_DISTRIBUTION,PREPARE_FOR_SUBMISSION&filter[platform]=IOS'
    )
    expect(ids(either)).toEqual([live.id, preparing.id])
    expect(
      ids(await versionsOf(main.id, 'filter[appStoreState]=REPLACED_WITH_NEW_VERSION'))
    ).toEqual([replaced.id])
    expect(ids(await versionsOf(widget.id, 'filter[appStoreState]=WAITING_FOR_REVIEW'))).toEqual([
      waiting.id
    ])
    // An old state with no new counterpart is legal, and matches nothing.
    const removed = await versionsOf(main.id, 'filter[appStoreState]=DEVELOPER_REMOVED_FROM_SALE')
    expect(removed.status).toBe(200)
    expect(ids(removed)).toEqual([])
  })

  it('filters by platform, versionString (exactly as stored) and id', async () => {
    expect(ids(await versionsOf(main.id, 'filter[platform]=MAC_OS'))).toEqual([macLive.id])
    expect(ids(await versionsOf(main.id, 'filter[platform]=TV_OS,VISION_OS'))).toEqual([])
    expect(
      ids(await versionsOf(main.id, `filter[versionString]=${preparing.versionString}`))
    ).toEqual([preparing.id])
    // The current train is stored as 'X.Y': 'X.Y.0' is another string.
    expect(preparing.versionString).toMatch(/^\d+\.\d+$/)
    expect(
      ids(await versionsOf(main.id, `filter[versionString]=${preparing.versionString}.0`))
    ).toEqual([])
    // Listed in the path's order (oldest first), not in the filter's.
    const byCreated = [macLive, replaced].sort(
      (a, b) => Date.parse(a.createdDate) - Date.parse(b.createdDate)
    )
    expect(ids(await versionsOf(main.id, `filter[id]=${macLive.id},${replaced.id}`))).toEqual(
      byCreated.map(v => v.id)
    )
    // Another app's version is not under this app.
    expect(ids(await versionsOf(main.id, `filter[id]=${waiting.id}`))).toEqual([])
  })

  it('has no live version for the widget: an empty page', async () => {
    const res = await versionsOf(
      widget.id,
      'filter[appVersionState]=READY_FOR_DISTRIBUTION&filter[platform]=IOS&include=build'
    )
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      data: [],
      links: { self: expect.any(String) },
      meta: { paging: { total: 0, limit: 50 } }
    })
  })

  it('includes the build with fields[builds], as the action asks for the live build', async () => {
    const res = await versionsOf(
      main.id,
      'filter[appVersionState]=READY_FOR_DISTRIBUTION&filter[platform]=IOS&include=build' +
        '&fields[builds]=version,uploadedDate,expirationDate,expired,processingState'
    )
    const onSale = buildOf(catalogue, live)
    expect(ids(res)).toEqual([live.id])
    expect(res.body.data[0]!.relationships!['build']).toEqual({
      links: expect.any(Object),
      data: { type: 'builds', id: onSale.id }
    })
    expect(res.body.included).toEqual([
      {
        type: 'builds',
        id: onSale.id,
        attributes: {
          version: onSale.version,
          uploadedDate: onSale.uploadedDate,
          expirationDate: onSale.expirationDate,
          expired: true,
          processingState: 'VALID'
        },
        links: { self: `${sandbox.url}/v1/builds/${onSale.id}` }
      }
    ])
    // fields[appStoreVersions] trims the version; listing `build` gives its linkage.
    const trimmed = await versionsOf(
      main.id,
      `filter[id]=${preparing.id}&fields[appStoreVersions]=versionString,appVersionState,build`
    )
    expect(trimmed.body.data[0]).toEqual({
      type: 'appStoreVersions',
      id: preparing.id,
      attributes: {
        versionString: preparing.versionString,
        appVersionState: 'PREPARE_FOR_SUBMISSION'
      },
      relationships: {
        build: {
          links: expect.any(Object),
          data: { type: 'builds', id: catalogue.landmarks['weather.ios.betaRejected'] }
        }
      },
      links: { self: expect.any(String) }
    })
  })

  it('accepts includes it holds no data for, and includes nothing for them', async () => {
    const res = await versionsOf(
      main.id,
      `filter[id]=${live.id}&include=appStoreVersionLocalizations,appStoreVersionPhasedRelease,app`
    )
    expect(res.status).toBe(200)
    const relationships = res.body.data[0]!.relationships!
    expect(relationships['appStoreVersionLocalizations']!.data).toEqual([])
    expect(relationships['appStoreVersionPhasedRelease']!.data).toBeNull()
    expect(relationships['app']).toEqual({ data: { type: 'apps', id: main.id } })
    expect(res.body.included!.map(r => `${r.type}/${r.id}`)).toEqual([`apps/${main.id}`])
  })

  it('pages with limit and links.next in the same order', async () => {
    const whole = ids(await versionsOf(main.id))
    expect(whole.length).toBe(4)
    const pages = await fetchAll(
      `${sandbox.url}/v1/apps/${main.id}/appStoreVersions?limit=1`,
      bearer
    )
    expect(pages.map(p => p.data.map(r => r.id)).flat()).toEqual(whole)
    expect(pages[0]!.meta.paging).toEqual({ total: 4, limit: 1 })
    expect(pages.at(-1)!.links.next).toBeUndefined()
  })

  it('refuses what the operation does not list, with Apple’s 400s, and unknown apps with 404', async () => {
    const refused = async (query: string) => {
      const res = await get<ErrorDocument>(`/v1/apps/${main.id}/appStoreVersions?${query}`)
      expect(res.status).toBe(400)
      return res.body.errors.map(e => [e.code, e.source?.parameter])
    }
    // No sort: Apple offers none on this path.
    expect(await refused('sort=-createdDate')).toEqual([['PARAMETER_ERROR.ILLEGAL', 'sort']])
    expect(await refused('fields[preReleaseVersions]=version')).toEqual([
      ['PARAMETER_ERROR.ILLEGAL', 'fields[preReleaseVersions]']
    ])
    expect(await refused('filter[state]=READY_FOR_SALE')).toEqual([
      ['PARAMETER_ERROR.ILLEGAL', 'filter[state]']
    ])
    // Each state filter takes its own enum: the new name is not an old value, nor the reverse.
    expect(await refused('filter[appStoreState]=READY_FOR_DISTRIBUTION')).toEqual([
      ['PARAMETER_ERROR.INVALID', 'filter[appStoreState]']
    ])
    expect(await refused('filter[appVersionState]=READY_FOR_SALE')).toEqual([
      ['PARAMETER_ERROR.INVALID', 'filter[appVersionState]']
    ])
    expect(await refused('filter[platform]=ANDROID')).toEqual([
      ['PARAMETER_ERROR.INVALID', 'filter[platform]']
    ])
    expect(await refused('include=builds')).toEqual([['PARAMETER_ERROR.INVALID', 'include']])
    expect(await refused('fields[appStoreVersions]=buildNumber')).toEqual([
      ['PARAMETER_ERROR.INVALID', 'fields[appStoreVersions]']
    ])
    expect(await refused('limit=201')).toEqual([['PARAMETER_ERROR.INVALID', 'limit']])
    const unknown = await get<ErrorDocument>('/v1/apps/9999999999/appStoreVersions')
    expect(unknown.status).toBe(404)
    expect(unknown.body.errors[0]!.code).toBe('NOT_FOUND')
  })
})

describe('GET /v1/appStoreVersions/{id}/build', () => {
  it('answers the attached build, trimmed by fields[builds]', async () => {
    const onSale = buildOf(catalogue, live)
    const res = await get<InstanceDocument>(`/v1/appStoreVersions/${live.id}/build`)
    expect(res.status).toBe(200)
    expect(res.body.data).toMatchObject({
      type: 'builds',
      id: onSale.id,
      attributes: { version: onSale.version, expired: true, processingState: 'VALID' }
    })
    expect(res.body.links.self).toBe(`${sandbox.url}/v1/appStoreVersions/${live.id}/build`)
    const trimmed = await get<InstanceDocument>(
      `/v1/appStoreVersions/${macLive.id}/build?fields[builds]=version`
    )
    expect(trimmed.body.data.attributes).toEqual({ version: buildOf(catalogue, macLive).version })
  })

  it('refuses include and answers 404 for an unknown version', async () => {
    const include = await get<ErrorDocument>(`/v1/appStoreVersions/${live.id}/build?include=app`)
    expect(include.status).toBe(400)
    expect(include.body.errors[0]).toMatchObject({
      code: 'PARAMETER_ERROR.ILLEGAL',
      source: { parameter: 'include' }
    })
    const unknown = await get<ErrorDocument>('/v1/appStoreVersions/not-a-version/build')
    expect(unknown.status).toBe(404)
    expect(unknown.body.errors[0]!.detail).toContain("'not-a-version'")
  })
})

describe('/v1/builds and the appStoreVersion relationship', () => {
  const linked = (r: Resource) => r.relationships!['appStoreVersion']!.data

  it('include=appStoreVersion with fields[appStoreVersions] names the version a build ships with', async () => {
    const unattached = catalogue.landmarks['weather.ios.latestValid']!
    const res = await get(
      `/v1/builds?filter[id]=${live.buildId},${preparing.buildId},${unattached}` +
        '&include=appStoreVersion&fields[appStoreVersions]=versionString,appVersionState,platform'
    )
    const byId = new Map(res.body.data.map(r => [r.id, r]))
    expect(linked(byId.get(live.buildId!)!)).toEqual({ type: 'appStoreVersions', id: live.id })
    expect(linked(byId.get(preparing.buildId!)!)).toEqual({
      type: 'appStoreVersions',
      id: preparing.id
    })
    expect(linked(byId.get(unattached)!)).toBeNull()
    expect(new Set(res.body.included!.map(r => r.id))).toEqual(new Set([live.id, preparing.id]))
    expect(res.body.included!.find(r => r.id === live.id)).toEqual({
      type: 'appStoreVersions',
      id: live.id,
      attributes: {
        platform: 'IOS',
        versionString: live.versionString,
        appVersionState: 'READY_FOR_DISTRIBUTION'
      },
      links: { self: `${sandbox.url}/v1/appStoreVersions/${live.id}` }
    })
  })

  it('on /v1/builds/{id} too; without include or fields only links, as before', async () => {
    const one = await get<InstanceDocument>(`/v1/builds/${waiting.buildId}?include=appStoreVersion`)
    expect(linked(one.body.data)).toEqual({ type: 'appStoreVersions', id: waiting.id })
    expect(one.body.included![0]!.attributes!['appVersionState']).toBe('WAITING_FOR_REVIEW')
    const plain = await get<InstanceDocument>(`/v1/builds/${waiting.buildId}`)
    expect(plain.body.data.relationships!['appStoreVersion']).toEqual({
      links: {
        self: `${sandbox.url}/v1/builds/${waiting.buildId}/relationships/appStoreVersion`,
        related: `${sandbox.url}/v1/builds/${waiting.buildId}/appStoreVersion`
      }
    })
  })

  it('filter[appStoreVersion] finds the attached build; fields[appStoreVersions] is checked', async () => {
    expect(ids(await get(`/v1/builds?filter[appStoreVersion]=${macLive.id}`))).toEqual([
      macLive.buildId
    ])
    const bad = await get<ErrorDocument>('/v1/builds?fields[appStoreVersions]=buildNumber')
    expect(bad.status).toBe(400)
    expect(bad.body.errors[0]!.code).toBe('PARAMETER_ERROR.INVALID')
  })
})

describe('/v1/apps and App Store versions', () => {
  it('include=appStoreVersions lists the app’s versions; the filters keep apps that have a match', async () => {
    const res = await get<InstanceDocument>(
      `/v1/apps/${main.id}?include=appStoreVersions&fields[appStoreVersions]=appVersionState`
    )
    const relationship = res.body.data.relationships!['appStoreVersions']!
    expect(relationship.meta).toEqual({ paging: { total: 4, limit: 10 } })
    expect(res.body.included!.map(r => r.id)).toEqual(ids(await versionsOf(main.id)))

    const withLive = await get(
      '/v1/apps?filter[bundleId]=com.example.weather&filter[appStoreVersions.appVersionState]=READY_FOR_DISTRIBUTION'
    )
    expect(ids(withLive)).toEqual([main.id])
    const inReview = await get(
      '/v1/apps?filter[appStoreVersions.appStoreState]=WAITING_FOR_REVIEW&filter[appStoreVersions.platform]=IOS'
    )
    expect(ids(inReview)).toEqual([widget.id])
  })
})

// ---------------------------------------------------------------------------------------------
// The timeline

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

async function eventsApplied(target: Sandbox, count: number): Promise<void> {
  const deadline = Date.now() + 5000
  while (target.timeline.events.length < count) {
    if (Date.now() > deadline) throw new Error(`only ${target.timeline.events.length} events`)
    await sleep(5)
  }
}

/** A sandbox of its own (the timeline changes its catalogue), with a client for its versions. */
function onOwnSandbox(
  own: Catalogue,
  use: (target: Sandbox, api: ReturnType<typeof clientOf>) => Promise<void>
): Promise<void> {
  return withSandbox({ catalogue: own, keys: [key] }, target => use(target, clientOf(target)))
}

function clientOf(target: Sandbox) {
  const getOwn = getOn(target, bearer)
  return {
    get: getOwn,
    states: async (appId: string, platform: string) => {
      const res = await getOwn(
        `/v1/apps/${appId}/appStoreVersions?filter[platform]=${platform}` +
          '&fields[appStoreVersions]=versionString,appVersionState,appStoreState'
      )
      return res.body.data.map(r => [
        r.id,
        r.attributes!['appVersionState'],
        r.attributes!['appStoreState']
      ])
    }
  }
}

describe('App Store versions on the timeline', () => {
  it('the version being prepared goes through review and on sale, replacing the live one', async () => {
    const own = generateCatalogue({ seed: 1, now: NOW })
    const [old, next, mac] = [
      versionAt(own, 'weather.ios.appStore.live'),
      versionAt(own, 'weather.ios.appStore.preparing'),
      versionAt(own, 'weather.mac.appStore.live')
    ]
    const gone = versionAt(own, 'weather.ios.appStore.replaced')
    await onOwnSandbox(own, async (target, api) => {
      const id = target.scheduleAppStoreVersion({
        appStoreVersionId: next.id,
        steps: [
          { at: 0.2, state: 'WAITING_FOR_REVIEW' },
          { at: 0.6, state: 'IN_REVIEW' },
          { at: 1.0, state: 'PENDING_DEVELOPER_RELEASE' },
          { at: 1.4, state: 'READY_FOR_DISTRIBUTION' }
        ]
      })
      expect(id).toBe(next.id)
      await sleep(250)
      // Nothing moves before the start signal.
      expect(await api.states(main.id, 'IOS')).toEqual([
        [gone.id, 'REPLACED_WITH_NEW_VERSION', 'REPLACED_WITH_NEW_VERSION'],
        [old.id, 'READY_FOR_DISTRIBUTION', 'READY_FOR_SALE'],
        [next.id, 'PREPARE_FOR_SUBMISSION', 'PREPARE_FOR_SUBMISSION']
      ])
      target.startTimeline()
      await eventsApplied(target, 1)
      expect((await api.states(main.id, 'IOS'))[2]).toEqual([
        next.id,
        'WAITING_FOR_REVIEW',
        'WAITING_FOR_REVIEW'
      ])
      await eventsApplied(target, 2)
      expect((await api.states(main.id, 'IOS'))[2]).toEqual([next.id, 'IN_REVIEW', 'IN_REVIEW'])
      await eventsApplied(target, 3)
      // Approved, waiting for the developer: the old version is still the one on sale.
      expect(await api.states(main.id, 'IOS')).toEqual([
        [gone.id, 'REPLACED_WITH_NEW_VERSION', 'REPLACED_WITH_NEW_VERSION'],
        [old.id, 'READY_FOR_DISTRIBUTION', 'READY_FOR_SALE'],
        [next.id, 'PENDING_DEVELOPER_RELEASE', 'PENDING_DEVELOPER_RELEASE']
      ])
      await eventsApplied(target, 4)
      expect(await api.states(main.id, 'IOS')).toEqual([
        [gone.id, 'REPLACED_WITH_NEW_VERSION', 'REPLACED_WITH_NEW_VERSION'],
        [old.id, 'REPLACED_WITH_NEW_VERSION', 'REPLACED_WITH_NEW_VERSION'],
        [next.id, 'READY_FOR_DISTRIBUTION', 'READY_FOR_SALE']
      ])
      // The other platform's live version is untouched.
      expect(await api.states(main.id, 'MAC_OS')).toEqual([
        [mac.id, 'READY_FOR_DISTRIBUTION', 'READY_FOR_SALE']
      ])
      // The live build is now the one the version being prepared had.
      const res = await api.get(
        `/v1/apps/${main.id}/appStoreVersions?filter[appVersionState]=READY_FOR_DISTRIBUTION` +
          '&filter[platform]=IOS&include=build&fields[builds]=version'
      )
      expect(res.body.included!.map(r => r.id)).toEqual([own.landmarks['weather.ios.betaRejected']])
      expect(target.timeline.events.map(e => [e.appStoreVersionId, e.at, e.changes])).toEqual([
        [next.id, 0.2, ['state WAITING_FOR_REVIEW']],
        [next.id, 0.6, ['state IN_REVIEW']],
        [next.id, 1.0, ['state PENDING_DEVELOPER_RELEASE']],
        [
          next.id,
          1.4,
          ['state READY_FOR_DISTRIBUTION', `version ${old.versionString} REPLACED_WITH_NEW_VERSION`]
        ]
      ])
      for (const event of target.timeline.events) {
        expect(event.appliedAfterMs).toBeGreaterThanOrEqual(event.at * 1000)
      }
    })
  })

  it('a new version appears at its first step and ships a build the timeline uploaded', async () => {
    const own = generateCatalogue({ now: NOW, buildsPerApp: 40 })
    const pro = appOf(own, 'com.example.weatherpro')
    await onOwnSandbox(own, async (target, api) => {
      const upload = target.scheduleUpload({
        appId: pro.id,
        version: '9.0.0',
        buildNumber: '9.0.7',
        steps: [
          { at: 0, upload: 'PROCESSING' },
          { at: 0.05, build: 'PROCESSING' },
          { at: 0.3, build: 'VALID' }
        ]
      })
      // Attached by number, under the train '9.0.0' that the version calls '9.0'.
      const id = target.scheduleAppStoreVersion({
        bundleId: 'com.example.weatherpro',
        versionString: '9.0',
        buildNumber: '9.0.7',
        steps: [
          { at: 0.5, state: 'PREPARE_FOR_SUBMISSION' },
          { at: 0.6, state: 'WAITING_FOR_REVIEW' }
        ]
      })
      // Before its first step the app has no version, and the id names nothing yet.
      expect((await api.get(`/v1/apps/${pro.id}/appStoreVersions`)).body.data).toEqual([])
      expect((await api.get(`/v1/appStoreVersions/${id}/build`)).status).toBe(404)
      target.startTimeline()
      await eventsApplied(target, 4)
      const [created] = (await api.get(`/v1/apps/${pro.id}/appStoreVersions?include=build`)).body
        .data
      expect(created).toMatchObject({
        id,
        attributes: {
          platform: 'IOS',
          versionString: '9.0',
          appVersionState: 'PREPARE_FOR_SUBMISSION',
          appStoreState: 'PREPARE_FOR_SUBMISSION',
          copyright: null,
          releaseType: 'MANUAL',
          earliestReleaseDate: null,
          usesIdfa: null,
          createdDate: '2026-11-20T10:00:00-08:00'
        },
        relationships: { build: { data: { type: 'builds', id: upload.buildId } } }
      })
      const build = await api.get<InstanceDocument>(
        `/v1/builds/${upload.buildId}?include=appStoreVersion`
      )
      expect(build.body.data.relationships!['appStoreVersion']!.data).toEqual({
        type: 'appStoreVersions',
        id
      })
      await target.timeline.done()
      expect(target.timeline.events.slice(3).map(e => [e.appStoreVersionId, e.changes])).toEqual([
        [id, ['version 9.0 IOS created', 'build 9.0.7 attached', 'state PREPARE_FOR_SUBMISSION']],
        [id, ['state WAITING_FOR_REVIEW']]
      ])
      expect(own.appStoreVersions!.map(v => v.id)).toContain(id)
    })
  })

  it('a version without a build answers data null at /build; an unprocessed build is not attached', async () => {
    const own = generateCatalogue({ now: NOW, buildsPerApp: 40 })
    const news = appOf(own, 'com.example.news')
    await onOwnSandbox(own, async (target, api) => {
      const empty = target.scheduleAppStoreVersion({
        appId: news.id,
        platform: 'MAC_OS',
        versionString: '5.0',
        steps: [{ at: 0, state: 'PREPARE_FOR_SUBMISSION' }]
      })
      const upload = target.scheduleUpload({
        appId: news.id,
        version: '5.1',
        buildNumber: '51000',
        steps: [
          { at: 0, upload: 'PROCESSING' },
          { at: 0.05, build: 'PROCESSING' }
        ]
      })
      const early = target.scheduleAppStoreVersion({
        appId: news.id,
        versionString: '5.1',
        buildId: upload.buildId,
        steps: [{ at: 0.1, state: 'PREPARE_FOR_SUBMISSION' }]
      })
      target.startTimeline()
      await target.timeline.done()
      const none = await api.get<Record<string, unknown>>(`/v1/appStoreVersions/${empty}/build`)
      expect(none.status).toBe(200)
      expect(none.body).toEqual({
        data: null,
        links: { self: `${target.url}/v1/appStoreVersions/${empty}/build` }
      })
      const listed = await api.get(
        `/v1/apps/${news.id}/appStoreVersions?filter[id]=${empty},${early}&include=build`
      )
      expect(listed.body.data.map(r => r.relationships!['build']!.data)).toEqual([null, null])
      expect(listed.body.included).toBeUndefined()
      expect(target.timeline.events.at(-1)).toMatchObject({
        appStoreVersionId: early,
        changes: [
          'version 5.1 IOS created',
          `build not attached: build ${upload.buildId} is PROCESSING, not VALID`,
          'state PREPARE_FOR_SUBMISSION'
        ]
      })
    })
  })

  it('refuses schedules Apple could not produce', async () => {
    const own = generateCatalogue({ seed: 1, now: NOW })
    await onOwnSandbox(own, async target => {
      const schedule = (extra: object) => () =>
        target.scheduleAppStoreVersion({
          bundleId: 'com.example.weatherpro',
          versionString: '9.0',
          steps: [{ at: 0, state: 'PREPARE_FOR_SUBMISSION' }],
          ...extra
        })
      expect(schedule({ bundleId: 'com.example.nothing' })).toThrow(/no app/)
      expect(schedule({ versionString: 'nine' })).toThrow(/versionString/)
      expect(schedule({ steps: [] })).toThrow(/at least one step/)
      expect(
        schedule({
          steps: [
            { at: 1, state: 'WAITING_FOR_REVIEW' },
            { at: 0.5, state: 'IN_REVIEW' }
          ]
        })
      ).toThrow(/time order/)
      expect(schedule({ steps: [{ at: 0, state: 'READY_FOR_SALE' }] })).toThrow(/unknown/)
      expect(schedule({ steps: [{ at: 0, state: 'REPLACED_WITH_NEW_VERSION' }] })).toThrow(
        /releasing a newer version/
      )
      expect(
        schedule({
          steps: [
            { at: 0, state: 'READY_FOR_DISTRIBUTION' },
            { at: 1, state: 'IN_REVIEW' }
          ]
        })
      ).toThrow(/does not change any more/)
      // The live version stays live until another replaces it.
      expect(() =>
        target.scheduleAppStoreVersion({
          appStoreVersionId: own.landmarks['weather.ios.appStore.live']!,
          steps: [{ at: 0, state: 'WAITING_FOR_REVIEW' }]
        })
      ).toThrow(/does not change any more/)
      // An INTERNAL_ONLY build never goes to the App Store, and a build ships with one version.
      const preparingId = own.landmarks['weather.ios.appStore.preparing']!
      expect(() =>
        target.scheduleAppStoreVersion({
          appStoreVersionId: preparingId,
          buildId: own.landmarks['weather.ios.internalOnly']!,
          steps: [{ at: 0, state: 'WAITING_FOR_REVIEW' }]
        })
      ).toThrow(/INTERNAL_ONLY/)
      expect(() =>
        target.scheduleAppStoreVersion({
          appStoreVersionId: preparingId,
          buildId: versionAt(own, 'weather.ios.appStore.live').buildId!,
          steps: [{ at: 0, state: 'WAITING_FOR_REVIEW' }]
        })
      ).toThrow(/already ships with version/)
      expect(target.timeline.remaining).toBe(0)
    })
  })
})
