import { describe, expect, it } from '@jest/globals'
import {
  generateCatalogue,
  MAIN_BUNDLE_ID,
  NEWEST_UPLOAD_BUNDLE_ID,
  type Catalogue,
  type SandboxBuild
} from '../../sandbox/index.js'
import { addPacificDays, formatPacific } from '../../sandbox/time.js'
import { newestFirst, NOW, seededOnly } from './helpers.js'

const DAY = 86_400_000
const ISO_PACIFIC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0[78]:00$/

const full = generateCatalogue({ seed: 1, now: NOW })
/** The seeded apps; the fixed ones have tests of their own (fixed-apps.test.ts). */
const catalogue = seededOnly(full)

function appId(c: Catalogue, bundleId: string): string {
  const app = c.apps.find(a => a.bundleId === bundleId)
  if (!app) throw new Error(`no app ${bundleId}`)
  return app.id
}

function marketingOf(c: Catalogue, build: SandboxBuild): string {
  return c.preReleaseVersions.find(p => p.id === build.preReleaseVersionId)!.version
}

function platformOf(c: Catalogue, build: SandboxBuild): string {
  return c.preReleaseVersions.find(p => p.id === build.preReleaseVersionId)!.platform
}
const marketingPlatform = (build: SandboxBuild) => platformOf(catalogue, build)

describe('generateCatalogue', () => {
  it('is deterministic for a seed and a clock, and differs between seeds', () => {
    expect(JSON.stringify(generateCatalogue({ seed: 1, now: NOW }))).toBe(JSON.stringify(full))
    const other = generateCatalogue({ seed: 2, now: NOW })
    expect(other.builds.map(b => b.id)).not.toEqual(full.builds.map(b => b.id))
    // The apps are the fixture everyone codes against: they do not depend on the seed.
    expect(other.apps).toEqual(full.apps)
  })

  it('holds thousands of builds by default and scales to 100, 2,000 and 20,000', () => {
    expect(catalogue.builds.length).toBe(3000)
    expect(seededOnly(generateCatalogue({ now: NOW, buildsPerApp: 20 })).builds).toHaveLength(100)
    expect(seededOnly(generateCatalogue({ now: NOW, buildsPerApp: 400 })).builds).toHaveLength(2000)
    // How long this takes is a figure of npm run bench, not a test's business.
    const big = seededOnly(generateCatalogue({ now: NOW, buildsPerApp: 4000 }))
    expect(big.builds).toHaveLength(20000)
    expect(new Set(big.builds.map(b => b.id)).size).toBe(20000)
    expect(big.buildUploads.length).toBeGreaterThan(20000)
  })

  it('has apps with numeric ids and bundle ids that share prefixes', () => {
    expect(catalogue.apps.length).toBeGreaterThanOrEqual(5)
    for (const app of catalogue.apps) expect(app.id).toMatch(/^\d{10}$/)
    const ids = catalogue.apps.map(a => a.bundleId)
    expect(ids).toEqual(
      expect.arrayContaining([
        'com.example.weather',
        'com.example.weather.widget',
        'com.example.weatherpro',
        'com.example.news',
        'com.example.news.ios'
      ])
    )
  })

  it('spreads uploads over about nine months before now, dated like Apple', () => {
    const times = catalogue.builds.map(b => Date.parse(b.uploadedDate))
    expect(Math.max(...times)).toBeLessThan(NOW.getTime())
    expect(Math.min(...times)).toBeGreaterThan(NOW.getTime() - 280 * DAY)
    expect(Math.min(...times)).toBeLessThan(NOW.getTime() - 240 * DAY)
    const badDates = catalogue.builds.filter(
      b => !ISO_PACIFIC.test(b.uploadedDate) || !ISO_PACIFIC.test(b.expirationDate)
    )
    expect(badDates).toEqual([])
    // Both offsets occur: summer uploads are -07:00, winter ones -08:00.
    expect(catalogue.builds.some(b => b.uploadedDate.endsWith('-07:00'))).toBe(true)
    expect(catalogue.builds.some(b => b.uploadedDate.endsWith('-08:00'))).toBe(true)
  })

  it('expires builds 90 calendar days after upload, keeping the Pacific wall-clock time', () => {
    for (const build of catalogue.builds.slice(0, 300)) {
      const lifetime = Date.parse(build.expirationDate) - Date.parse(build.uploadedDate)
      expect([90 * DAY - 3_600_000, 90 * DAY, 90 * DAY + 3_600_000]).toContain(lifetime)
      expect(build.expirationDate.slice(11, 19)).toBe(build.uploadedDate.slice(11, 19))
    }
  })

  it('marks every build past its expiration date as expired (but one that lags), and some before it by hand', () => {
    const past = catalogue.builds.filter(b => Date.parse(b.expirationDate) < NOW.getTime())
    expect(past.length).toBeGreaterThan(1000)
    const lagging = past.filter(b => !b.expired)
    expect(lagging.map(b => b.id)).toEqual([catalogue.landmarks['newsIos.ios.expiryLagging']])
    const early = catalogue.builds.filter(
      b => b.expired && Date.parse(b.expirationDate) >= NOW.getTime()
    )
    expect(early.length).toBeGreaterThan(0)
  })

  it('covers every processing state (mostly VALID), both audiences and missing icons', () => {
    const count = (state: string) =>
      catalogue.builds.filter(b => b.processingState === state).length
    expect(count('VALID') / catalogue.builds.length).toBeGreaterThan(0.85)
    for (const state of ['PROCESSING', 'FAILED', 'INVALID']) expect(count(state)).toBeGreaterThan(0)
    const audiences = new Set(catalogue.builds.map(b => b.buildAudienceType))
    expect(audiences).toEqual(new Set(['INTERNAL_ONLY', 'APP_STORE_ELIGIBLE']))
    expect(catalogue.builds.some(b => b.iconAssetToken === null)).toBe(true)
    const badIcons = catalogue.builds.filter(
      b => b.iconAssetToken && !b.iconAssetToken.templateUrl.endsWith('/{w}x{h}bb.{f}')
    )
    expect(badIcons).toEqual([])
    // Even a 100-build catalogue has each case.
    const small = seededOnly(generateCatalogue({ now: NOW, buildsPerApp: 20, seed: 7 }))
    for (const state of ['VALID', 'PROCESSING', 'FAILED', 'INVALID']) {
      expect(small.builds.some(b => b.processingState === state)).toBe(true)
    }
  })

  it('mixes platforms: iOS-only apps and multi-platform apps, several versions each', () => {
    const platformsOf = (bundleId: string) =>
      new Set(
        catalogue.preReleaseVersions
          .filter(p => p.appId === appId(catalogue, bundleId))
          .map(p => p.platform)
      )
    expect(platformsOf('com.example.weather.widget')).toEqual(new Set(['IOS']))
    expect(platformsOf('com.example.weatherpro')).toEqual(new Set(['IOS', 'TV_OS', 'VISION_OS']))
    expect(platformsOf(MAIN_BUNDLE_ID)).toEqual(new Set(['IOS', 'MAC_OS', 'TV_OS']))
    for (const app of catalogue.apps) {
      const iosVersions = catalogue.preReleaseVersions.filter(
        p => p.appId === app.id && p.platform === 'IOS'
      )
      expect(iosVersions.length).toBeGreaterThanOrEqual(3)
    }
    for (const build of catalogue.builds.filter(b => b.lsMinimumSystemVersion !== null)) {
      const prv = catalogue.preReleaseVersions.find(p => p.id === build.preReleaseVersionId)!
      expect(prv.platform).toBe('MAC_OS')
    }
  })

  it('numbers builds with plain integers crossing digit boundaries and with dotted schemes', () => {
    const numbers = (bundleId: string) =>
      catalogue.builds.filter(b => b.appId === appId(catalogue, bundleId)).map(b => b.version)
    // Apple's rule: one to three period-separated integers, everywhere.
    expect(catalogue.builds.filter(b => !/^\d+(\.\d+){0,2}$/.test(b.version))).toEqual([])
    expect(
      catalogue.buildUploads.filter(u => !/^\d+(\.\d+){0,2}$/.test(u.cfBundleVersion))
    ).toEqual([])
    // The main app's iOS and tvOS builds share a counter; its macOS target numbers '3.2.9'.
    const main = numbers(MAIN_BUNDLE_ID)
    const mainMac = catalogue.builds.filter(
      b => b.appId === appId(catalogue, MAIN_BUNDLE_ID) && marketingPlatform(b) === 'MAC_OS'
    )
    expect(mainMac.every(b => /^\d+\.\d+\.\d+$/.test(b.version))).toBe(true)
    const mainCounter = main.filter(v => /^\d+$/.test(v))
    expect(mainCounter.length).toBe(main.length - mainMac.length)
    expect(mainCounter.some(v => v.length === 1)).toBe(true)
    expect(mainCounter.some(v => v.length === 3)).toBe(true)
    expect(numbers('com.example.weatherpro').some(v => /^1\.1\d\.\d+$/.test(v))).toBe(true)
    expect(numbers('com.example.weatherpro').some(v => /^1\.9\.\d+$/.test(v))).toBe(true)
    expect(numbers('com.example.news.ios').every(v => /^4\.\d+\.\d+$/.test(v))).toBe(true)
    expect(numbers('com.example.news').every(v => /^\d{5,}$/.test(v))).toBe(true)
    // Textual order disagrees with numeric order for the main app.
    const textualMax = [...mainCounter].sort().at(-1)
    const numericMax = String(Math.max(...mainCounter.map(Number)))
    expect(textualMax).not.toBe(numericMax)
  })

  it('keeps build numbers unique within each prerelease version', () => {
    const keys = new Set(catalogue.builds.map(b => `${b.preReleaseVersionId}/${b.version}`))
    expect(keys.size).toBe(catalogue.builds.length)
  })

  describe.each([1, 2, 3, 42])('traps with seed %i', seed => {
    const c = seed === 1 ? catalogue : generateCatalogue({ seed, now: NOW })
    const all = newestFirst(c.builds.filter(b => b.appId === appId(c, MAIN_BUNDLE_ID)))
    const main = all.filter(b => platformOf(c, b) === 'IOS')

    it('the newest upload of the main app is a macOS build still processing', () => {
      expect(all[0]!.processingState).toBe('PROCESSING')
      expect(platformOf(c, all[0]!)).toBe('MAC_OS')
      expect(all[0]!.id).toBe(c.landmarks['weather.mac.processing'])
    })

    it('its newest VALID build is a macOS build, newer than every VALID iOS build', () => {
      const valid = all.filter(b => b.processingState === 'VALID' && !b.expired)
      expect(platformOf(c, valid[0]!)).toBe('MAC_OS')
      expect(valid[0]!.id).toBe(c.landmarks['weather.mac.latestValid'])
    })

    it('the newest iOS upload is still processing', () => {
      expect(main[0]!.processingState).toBe('PROCESSING')
      expect(main[0]!.id).toBe(c.landmarks['weather.ios.processing'])
    })

    it('the iOS upload before it failed, and the one before that was expired by hand', () => {
      expect(main[1]!.processingState).toBe('FAILED')
      expect(main[2]!.processingState).toBe('VALID')
      expect(main[2]!.expired).toBe(true)
      expect(Date.parse(main[2]!.expirationDate)).toBeGreaterThan(NOW.getTime())
    })

    it('the newest upload of the whole catalogue belongs to another app with the same prefix', () => {
      const newest = newestFirst(c.builds)[0]!
      expect(newest.appId).toBe(appId(c, NEWEST_UPLOAD_BUNDLE_ID))
      expect(NEWEST_UPLOAD_BUNDLE_ID.startsWith(MAIN_BUNDLE_ID)).toBe(true)
    })

    it('the newest usable build is a hotfix with a lower number than an older usable build', () => {
      const usable = main.filter(b => b.processingState === 'VALID' && !b.expired)
      const [hotfix, older] = usable as [SandboxBuild, SandboxBuild]
      expect(Number(hotfix.version)).toBeLessThan(Number(older.version))
      expect(Date.parse(hotfix.uploadedDate)).toBeGreaterThan(Date.parse(older.uploadedDate))
      expect(marketingOf(c, hotfix)).not.toBe(marketingOf(c, older))
    })
  })

  it('keeps the newest traps in a 100-build catalogue', () => {
    const small = generateCatalogue({ now: NOW, buildsPerApp: 20 })
    const main = newestFirst(small.builds.filter(b => b.appId === appId(small, MAIN_BUNDLE_ID)))
    expect(main[0]!.processingState).toBe('PROCESSING')
    expect(main[0]!.id).toBe(small.landmarks['weather.mac.processing'])
    expect(newestFirst(small.builds)[0]!.appId).toBe(appId(small, NEWEST_UPLOAD_BUNDLE_ID))
  })
})

describe('Pacific dates', () => {
  it('switches offset on the US daylight-saving dates', () => {
    // DST 2026 began 8 March 10:00 UTC and ends 1 November 09:00 UTC.
    expect(formatPacific(Date.parse('2026-03-08T09:59:59Z'))).toBe('2026-03-08T01:59:59-08:00')
    expect(formatPacific(Date.parse('2026-03-08T10:00:00Z'))).toBe('2026-03-08T03:00:00-07:00')
    expect(formatPacific(Date.parse('2026-11-01T08:59:59Z'))).toBe('2026-11-01T01:59:59-07:00')
    expect(formatPacific(Date.parse('2026-11-01T09:00:00Z'))).toBe('2026-11-01T01:00:00-08:00')
    expect(formatPacific(Date.parse('2024-02-29T23:30:00Z'))).toBe('2024-02-29T15:30:00-08:00')
  })

  it('adds 90 days like Apple: same wall-clock time, new offset', () => {
    const uploaded = Date.parse('2022-09-07T10:42:15-07:00')
    expect(formatPacific(addPacificDays(uploaded, 90))).toBe('2022-12-06T10:42:15-08:00')
  })
})
