// Lookup tables over a catalogue, built when the sandbox starts and kept up to date as the
// timeline adds uploads, builds and trains while it runs.
import { AppStoreVersionIndex } from './app-store-versions.js'
import { forAudience } from './lifecycle.js'
import type {
  Catalogue,
  SandboxApp,
  SandboxBuild,
  SandboxBuildBetaDetail,
  SandboxBuildUpload,
  SandboxPreReleaseVersion
} from './records.js'
import type { Platform } from './schema.js'

export class CatalogueStore {
  readonly apps: readonly SandboxApp[]
  readonly builds: readonly SandboxBuild[]
  readonly preReleaseVersions: readonly SandboxPreReleaseVersion[]
  readonly buildUploads: readonly SandboxBuildUpload[]
  /** App Store versions, by id, app and attached build. */
  readonly appStoreVersions: AppStoreVersionIndex
  private readonly appById = new Map<string, SandboxApp>()
  private readonly buildById = new Map<string, SandboxBuild>()
  private readonly prvById = new Map<string, SandboxPreReleaseVersion>()
  private readonly uploadById = new Map<string, SandboxBuildUpload>()
  private readonly buildByBetaDetail = new Map<string, SandboxBuild>()
  private readonly uploadOfBuild = new Map<string, SandboxBuildUpload>()
  private readonly buildsByApp = new Map<string, SandboxBuild[]>()
  private readonly buildsByPrv = new Map<string, SandboxBuild[]>()
  private readonly prvsByApp = new Map<string, SandboxPreReleaseVersion[]>()
  private readonly uploadsByApp = new Map<string, SandboxBuildUpload[]>()
  private readonly uploaded = new Map<SandboxBuild, number>()
  private readonly expires = new Map<SandboxBuild, number>()
  private readonly memos = new Map<string, unknown>()

  constructor(private readonly catalogue: Catalogue) {
    this.apps = catalogue.apps
    this.builds = catalogue.builds
    this.preReleaseVersions = catalogue.preReleaseVersions
    this.buildUploads = catalogue.buildUploads
    // Versions the timeline adds go to the catalogue too, as uploads do.
    this.appStoreVersions = new AppStoreVersionIndex((catalogue.appStoreVersions ??= []))
    for (const app of catalogue.apps) {
      this.appById.set(app.id, app)
      this.buildsByApp.set(app.id, [])
      this.prvsByApp.set(app.id, [])
      this.uploadsByApp.set(app.id, [])
    }
    for (const prv of catalogue.preReleaseVersions) this.indexPreReleaseVersion(prv)
    for (const build of catalogue.builds) this.indexBuild(build)
    for (const upload of catalogue.buildUploads) this.indexUpload(upload)
  }

  private indexPreReleaseVersion(prv: SandboxPreReleaseVersion): void {
    this.prvById.set(prv.id, prv)
    this.buildsByPrv.set(prv.id, [])
    listFor(this.prvsByApp, prv.appId).push(prv)
  }

  private indexBuild(build: SandboxBuild): void {
    this.buildById.set(build.id, build)
    this.buildByBetaDetail.set(build.betaDetail.id, build)
    listFor(this.buildsByApp, build.appId).push(build)
    listFor(this.buildsByPrv, build.preReleaseVersionId).push(build)
    // Offsets differ (-07:00 / -08:00), so instants are compared, never the strings.
    this.uploaded.set(build, Date.parse(build.uploadedDate))
    this.expires.set(build, Date.parse(build.expirationDate))
  }

  private indexUpload(upload: SandboxBuildUpload): void {
    this.uploadById.set(upload.id, upload)
    listFor(this.uploadsByApp, upload.appId).push(upload)
    if (upload.buildId !== null) this.uploadOfBuild.set(upload.buildId, upload)
  }

  // Changes made by the timeline. Each one drops the memoized orderings.

  addPreReleaseVersion(prv: SandboxPreReleaseVersion): void {
    this.catalogue.preReleaseVersions.push(prv)
    this.indexPreReleaseVersion(prv)
    this.memos.clear()
  }

  addUpload(upload: SandboxBuildUpload): void {
    this.catalogue.buildUploads.push(upload)
    this.indexUpload(upload)
    this.memos.clear()
  }

  /** Adds the build an upload became, and links the upload to it. */
  addBuild(build: SandboxBuild, upload: SandboxBuildUpload): void {
    this.catalogue.builds.push(build)
    this.indexBuild(build)
    upload.buildId = build.id
    this.uploadOfBuild.set(build.id, upload)
    this.memos.clear()
  }

  /** An upload's date changed (AWAITING_UPLOAD -> PROCESSING): orderings by date are stale. */
  touched(): void {
    this.memos.clear()
  }

  app(id: string): SandboxApp | undefined {
    return this.appById.get(id)
  }
  build(id: string): SandboxBuild | undefined {
    return this.buildById.get(id)
  }
  buildUpload(id: string): SandboxBuildUpload | undefined {
    return this.uploadById.get(id)
  }
  /** The build whose buildBetaDetails resource has this id. */
  buildOfBetaDetail(id: string): SandboxBuild | undefined {
    return this.buildByBetaDetail.get(id)
  }
  /** The upload that became this build (catalogue builds always have one). */
  uploadOf(build: SandboxBuild): SandboxBuildUpload | undefined {
    return this.uploadOfBuild.get(build.id)
  }
  buildsOfApp(appId: string): readonly SandboxBuild[] {
    return this.buildsByApp.get(appId) ?? []
  }
  buildsOfPreReleaseVersion(prvId: string): readonly SandboxBuild[] {
    return this.buildsByPrv.get(prvId) ?? []
  }
  preReleaseVersionsOfApp(appId: string): readonly SandboxPreReleaseVersion[] {
    return this.prvsByApp.get(appId) ?? []
  }
  uploadsOfApp(appId: string): readonly SandboxBuildUpload[] {
    return this.uploadsByApp.get(appId) ?? []
  }
  /**
   * The train a marketing version belongs to, however it is spelled: Apple treats '1.4' and
   * '1.4.0' as one train (reference notes, "Versions as Apple compares them").
   */
  trainOf(
    appId: string,
    platform: Platform,
    version: string
  ): SandboxPreReleaseVersion | undefined {
    const wanted = sameTrainKey(version)
    return this.preReleaseVersionsOfApp(appId).find(
      prv => prv.platform === platform && sameTrainKey(prv.version) === wanted
    )
  }
  /** The prerelease version of a build; a catalogue that lacks it is a broken fixture. */
  preReleaseVersionOf(build: SandboxBuild): SandboxPreReleaseVersion {
    const prv = this.prvById.get(build.preReleaseVersionId)
    if (!prv) {
      throw new Error(
        `build ${build.id} refers to unknown preReleaseVersion ${build.preReleaseVersionId}`
      )
    }
    return prv
  }
  /** Computes once per key: orderings of the whole catalogue are reused by every page request. */
  memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute())
    return this.memos.get(key) as T
  }
  uploadedMs(build: SandboxBuild): number {
    return this.uploaded.get(build) ?? Date.parse(build.uploadedDate)
  }
  /**
   * Apple's `expired` flag against the sandbox clock: set by hand, or once the expiration date
   * has passed; for some builds only `expiryLagMs` later (reference notes: `expired` can lag
   * `expirationDate`).
   */
  isExpired(build: SandboxBuild, now: Date): boolean {
    const expires = this.expires.get(build) ?? Date.parse(build.expirationDate)
    return build.expired || expires + (build.expiryLagMs ?? 0) < now.getTime()
  }
  /** The TestFlight states as of `now`: an expired build is EXPIRED there too. */
  betaDetailAt(build: SandboxBuild, now: Date): SandboxBuildBetaDetail {
    const detail = build.betaDetail
    if (detail.internalBuildState === 'EXPIRED' || !this.isExpired(build, now)) return detail
    return {
      ...detail,
      internalBuildState: 'EXPIRED',
      externalBuildState: forAudience(build.buildAudienceType, 'EXPIRED')
    }
  }
}

/** '1.4', '1.4.0' and '01.04' compare alike: trailing '.0' parts and leading zeros dropped. */
export function sameTrainKey(version: string): string {
  const parts = version.split('.').map(part => part.replace(/^0+(?=\d)/, ''))
  while (parts.length > 1 && parts[parts.length - 1] === '0') parts.pop()
  return parts.join('.')
}

function listFor<T>(map: Map<string, T[]>, key: string): T[] {
  let list = map.get(key)
  if (!list) {
    list = []
    map.set(key, list)
  }
  return list
}
