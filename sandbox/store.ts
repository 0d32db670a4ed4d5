// Lookup tables over a catalogue, built once when the sandbox starts.
import type { Catalogue, SandboxApp, SandboxBuild, SandboxPreReleaseVersion } from './catalogue.js'

export class CatalogueStore {
  readonly apps: readonly SandboxApp[]
  readonly builds: readonly SandboxBuild[]
  readonly preReleaseVersions: readonly SandboxPreReleaseVersion[]
  private readonly appById = new Map<string, SandboxApp>()
  private readonly buildById = new Map<string, SandboxBuild>()
  private readonly prvById = new Map<string, SandboxPreReleaseVersion>()
  private readonly buildsByApp = new Map<string, SandboxBuild[]>()
  private readonly buildsByPrv = new Map<string, SandboxBuild[]>()
  private readonly prvsByApp = new Map<string, SandboxPreReleaseVersion[]>()
  private readonly uploaded = new Map<SandboxBuild, number>()
  private readonly expires = new Map<SandboxBuild, number>()
  private readonly memos = new Map<string, unknown>()

  constructor(catalogue: Catalogue) {
    this.apps = catalogue.apps
    this.builds = catalogue.builds
    this.preReleaseVersions = catalogue.preReleaseVersions
    for (const app of catalogue.apps) {
      this.appById.set(app.id, app)
      this.buildsByApp.set(app.id, [])
      this.prvsByApp.set(app.id, [])
    }
    for (const prv of catalogue.preReleaseVersions) {
      this.prvById.set(prv.id, prv)
      this.buildsByPrv.set(prv.id, [])
      listFor(this.prvsByApp, prv.appId).push(prv)
    }
    for (const build of catalogue.builds) {
      this.buildById.set(build.id, build)
      listFor(this.buildsByApp, build.appId).push(build)
      listFor(this.buildsByPrv, build.preReleaseVersionId).push(build)
      // Offsets differ (-07:00 / -08:00), so instants are compared, never the strings.
      this.uploaded.set(build, Date.parse(build.uploadedDate))
      this.expires.set(build, Date.parse(build.expirationDate))
    }
  }

  app(id: string): SandboxApp | undefined {
    return this.appById.get(id)
  }
  build(id: string): SandboxBuild | undefined {
    return this.buildById.get(id)
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
  /** Expired by hand (stored flag) or by date against the sandbox clock. */
  isExpired(build: SandboxBuild, now: Date): boolean {
    return (
      build.expired || (this.expires.get(build) ?? Date.parse(build.expirationDate)) < now.getTime()
    )
  }
}

function listFor<T>(map: Map<string, T[]>, key: string): T[] {
  let list = map.get(key)
  if (!list) {
    list = []
    map.set(key, list)
  }
  return list
}
