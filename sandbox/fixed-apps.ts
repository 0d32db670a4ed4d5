// Small apps planted beside the seeded catalogue, each holding one case that Apple's real
// answers and peers' bug reports show, in fixed numbers that tests can name: a four-part build
// number, macOS numbering across versions, an empty app, values Apple added after its OpenAPI
// document, an upload whose build is not listed yet, and build dates around daylight saving.
import { BUILD_LIFETIME_DAYS, UPLOAD_ERRORS } from './lifecycle.js'
import { osRequirements } from './platform-details.js'
import { Random, subSeed } from './random.js'
import type {
  Catalogue,
  LandmarkName,
  SandboxApp,
  SandboxBuild,
  SandboxBuildUpload,
  SandboxPreReleaseVersion
} from './records.js'
import type {
  BuildAudienceType,
  BuildUploadState,
  ExternalBetaState,
  InternalBetaState,
  Platform,
  ProcessingState
} from './schema.js'
import { addPacificDays, DAY, formatPacific, HOUR, MINUTE, pacificOffsetMinutes } from './time.js'

export const FIXED_BUNDLE_IDS = {
  legacy: 'com.example.legacy',
  studio: 'com.example.studio',
  empty: 'com.example.empty',
  future: 'com.example.future',
  lagging: 'com.example.lagging',
  clock: 'com.example.clock'
} as const

/** What one planted build differs in from a good, recent, VALID build. */
interface BuildPlan {
  landmark?: LandmarkName
  platform: Platform
  appVersion: string
  number: string
  uploadedMs: number
  processingState?: ProcessingState
  internalBuildState?: InternalBetaState
  externalBuildState?: ExternalBetaState
  buildAudienceType?: BuildAudienceType
}

/** Adds the fixed apps, their trains, builds and uploads to the catalogue, and their landmarks. */
export function plantFixedApps(catalogue: Catalogue, nowMs: number, seed: number): void {
  const planter = new Planter(catalogue, new Random(subSeed(seed, 400)))
  const ago = (days: number) => nowMs - days * DAY

  const legacy = planter.app('1600000006', FIXED_BUNDLE_IDS.legacy, 'Legacy', 'legacy.app')
  // Apple accepted, and an altool log recorded, the four-part build number 2.0.67.745.
  planter.build(legacy, {
    landmark: 'legacy.ios.only',
    platform: 'IOS',
    appVersion: '2.0.67',
    number: '2.0.67.745',
    uploadedMs: ago(2)
  })

  // Apple rejected macOS 1.8.0 build 1 after 1.7.0 build 3: on macOS numbers grow across versions.
  const studio = planter.app('1600000007', FIXED_BUNDLE_IDS.studio, 'Studio', 'studio.app')
  for (const n of [1, 2, 3]) {
    planter.build(studio, {
      landmark: n === 3 ? 'studio.mac.highest' : undefined,
      platform: 'MAC_OS',
      appVersion: '1.7.0',
      number: String(n),
      uploadedMs: ago(21 - n)
    })
  }
  for (const n of [10, 11, 12]) {
    planter.build(studio, {
      landmark: n === 12 ? 'studio.ios.highest' : undefined,
      platform: 'IOS',
      appVersion: '1.8.0',
      number: String(n),
      uploadedMs: ago(20 - n)
    })
  }

  planter.app('1600000008', FIXED_BUNDLE_IDS.empty, 'Empty', 'empty.app')

  // Values Apple may add after the OpenAPI document: each on a build newer than a good one of
  // the same train, which the query that the value matters to should still find.
  const future = planter.app('1600000009', FIXED_BUNDLE_IDS.future, 'Future', 'future.app')
  const later = <T>(value: string) => value as T
  const futures: ReadonlyArray<
    readonly [string, string, Omit<BuildPlan, 'platform' | 'appVersion' | 'uploadedMs'>]
  > = [
    [
      '3.1.0',
      '40',
      {
        landmark: 'future.ios.processingDeferred',
        number: '41',
        processingState: later('PROCESSING_DEFERRED')
      }
    ],
    [
      '3.2.0',
      '50',
      {
        landmark: 'future.ios.internalExpress',
        number: '51',
        internalBuildState: later('READY_FOR_TESTING_EXPRESS')
      }
    ],
    [
      '3.3.0',
      '60',
      {
        landmark: 'future.ios.externalExpress',
        number: '61',
        externalBuildState: later('IN_BETA_REVIEW_EXPRESS')
      }
    ],
    [
      '3.4.0',
      '70',
      {
        landmark: 'future.ios.enterprise',
        number: '71',
        buildAudienceType: later('ENTERPRISE_ONLY')
      }
    ]
  ]
  futures.forEach(([appVersion, good, odd], i) => {
    const days = 12 - 2 * i
    planter.build(future, { platform: 'IOS', appVersion, number: good, uploadedMs: ago(days) })
    planter.build(future, { ...odd, platform: 'IOS', appVersion, uploadedMs: ago(days - 1) })
  })
  planter.build(future, {
    landmark: 'future.ios.good',
    platform: 'IOS',
    appVersion: '3.5.0',
    number: '80',
    uploadedMs: ago(2)
  })
  planter.build(future, {
    landmark: 'future.watch.build',
    platform: later('WATCH_OS'),
    appVersion: '3.5.0',
    number: '81',
    uploadedMs: ago(1)
  })
  // A FAILED upload keeps its number; this one is too long to add one to.
  planter.upload(future, {
    landmark: 'future.ios.upload.huge',
    platform: 'IOS',
    appVersion: '3.5.0',
    number: '99999999999999999999999',
    createdMs: ago(0.5),
    state: 'FAILED'
  })

  // An upload COMPLETE whose build /v1/builds does not list yet.
  const lagging = planter.app('1600000010', FIXED_BUNDLE_IDS.lagging, 'Lagging', 'lagging.app')
  planter.build(lagging, {
    landmark: 'lagging.ios.listed',
    platform: 'IOS',
    appVersion: '5.0.0',
    number: '7',
    uploadedMs: ago(3)
  })
  planter.upload(lagging, {
    landmark: 'lagging.ios.upload.unlisted',
    platform: 'IOS',
    appVersion: '5.0.0',
    number: '8',
    createdMs: nowMs - 20 * MINUTE,
    state: 'COMPLETE'
  })

  // Builds whose upload and expiry dates carry different offsets: one across the latest change
  // of the clocks before now, one across the change before that. Each expires a whole number of
  // days plus three hours from now, so reading an offset wrong moves the days left by one.
  const clock = planter.app('1600000011', FIXED_BUNDLE_IDS.clock, 'Clock', 'clock.app')
  const [latest, before] = changesBefore(nowMs)
  ;[before, latest].forEach((change, i) => {
    const days = Math.round((change + 45 * DAY - nowMs) / DAY)
    const expiresMs = nowMs + days * DAY + 3 * HOUR
    planter.build(clock, {
      landmark: i === 0 ? 'clock.ios.earlierChange' : 'clock.ios.latestChange',
      platform: 'IOS',
      appVersion: '1.0.0',
      number: String(i + 1),
      uploadedMs: addPacificDays(expiresMs, -BUILD_LIFETIME_DAYS)
    })
  })
}

/** The last two instants before `nowMs` at which Pacific time changed its offset. */
function changesBefore(nowMs: number): [number, number] {
  const found: number[] = []
  let hi = Math.floor(nowMs / HOUR) * HOUR
  while (found.length < 2) {
    let lo = hi - DAY
    while (pacificOffsetMinutes(lo) === pacificOffsetMinutes(hi)) lo -= DAY
    // The change lies in (lo, hi]: narrow it to the hour.
    while (hi - lo > HOUR) {
      const mid = lo + Math.floor((hi - lo) / 2 / HOUR) * HOUR
      if (pacificOffsetMinutes(mid) === pacificOffsetMinutes(hi)) hi = mid
      else lo = mid
    }
    found.push(hi)
    hi = lo
  }
  return [found[0]!, found[1]!]
}

class Planter {
  private readonly trains = new Map<string, SandboxPreReleaseVersion>()
  constructor(
    private readonly catalogue: Catalogue,
    private readonly random: Random
  ) {}

  app(id: string, bundleId: string, name: string, landmark: LandmarkName): SandboxApp {
    const app = { id, bundleId, name, sku: `EXAMPLE-${name.toUpperCase()}`, primaryLocale: 'en-US' }
    this.catalogue.apps.push(app)
    this.catalogue.landmarks[landmark] = id
    return app
  }

  private train(app: SandboxApp, platform: Platform, version: string): SandboxPreReleaseVersion {
    const key = `${app.id}|${platform}|${version}`
    let prv = this.trains.get(key)
    if (!prv) {
      prv = { id: this.random.uuid(), appId: app.id, version, platform }
      this.trains.set(key, prv)
      this.catalogue.preReleaseVersions.push(prv)
    }
    return prv
  }

  build(app: SandboxApp, plan: BuildPlan): SandboxBuild {
    const prv = this.train(app, plan.platform, plan.appVersion)
    const os = osRequirements(plan.platform === 'MAC_OS' ? 'MAC_OS' : 'IOS', true)
    const expiresMs = addPacificDays(plan.uploadedMs, BUILD_LIFETIME_DAYS)
    const build: SandboxBuild = {
      id: this.random.uuid(),
      appId: app.id,
      preReleaseVersionId: prv.id,
      version: plan.number,
      uploadedDate: formatPacific(plan.uploadedMs),
      expirationDate: formatPacific(expiresMs),
      expired: false,
      ...os,
      iconAssetToken: null,
      processingState: plan.processingState ?? 'VALID',
      buildAudienceType: plan.buildAudienceType ?? 'APP_STORE_ELIGIBLE',
      usesNonExemptEncryption: false,
      betaDetail: {
        id: this.random.uuid(),
        autoNotifyEnabled: true,
        internalBuildState: plan.internalBuildState ?? 'IN_BETA_TESTING',
        externalBuildState: plan.externalBuildState ?? 'BETA_APPROVED'
      }
    }
    this.catalogue.builds.push(build)
    if (plan.landmark) this.catalogue.landmarks[plan.landmark] = build.id
    this.addUpload(app, plan, plan.uploadedMs - MINUTE, 'COMPLETE', build.id)
    return build
  }

  upload(
    app: SandboxApp,
    plan: Pick<BuildPlan, 'landmark' | 'platform' | 'appVersion' | 'number'> & {
      createdMs: number
      state: BuildUploadState
    }
  ): void {
    const upload = this.addUpload(app, plan, plan.createdMs, plan.state, null)
    if (plan.landmark) this.catalogue.landmarks[plan.landmark] = upload.id
  }

  private addUpload(
    app: SandboxApp,
    plan: Pick<BuildPlan, 'platform' | 'appVersion' | 'number'>,
    createdMs: number,
    state: BuildUploadState,
    buildId: string | null
  ): SandboxBuildUpload {
    this.train(app, plan.platform, plan.appVersion)
    const upload: SandboxBuildUpload = {
      id: this.random.uuid(),
      appId: app.id,
      cfBundleShortVersionString: plan.appVersion,
      cfBundleVersion: plan.number,
      platform: plan.platform,
      createdDate: formatPacific(createdMs),
      uploadedDate: formatPacific(createdMs + MINUTE),
      state: {
        state,
        errors: state === 'FAILED' ? [{ ...UPLOAD_ERRORS.invalidBundle }] : [],
        warnings: [],
        infos: []
      },
      buildId
    }
    this.catalogue.buildUploads.push(upload)
    return upload
  }
}
