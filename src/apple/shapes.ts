// The shape of each App Store Connect answer, checked where it is read. Each reader takes
// the parsed JSON and returns a fresh value holding only the fields the action uses (so a
// page's unknown or oversized parts are dropped at once), or throws a ShapeError that says,
// in one line, what Apple sent that the action cannot read. Formats (is a version really a
// version?) are checked later, on the chosen build only: see report/output-format.ts.
import { outsideText } from '../outside-text.js'
import type { AppleErrorEntry } from './apple-error.js'
import type {
  AppResource,
  AppStoreVersionResource,
  BuildAudienceType,
  BuildResource,
  BuildUploadResource,
  BuildUploadState,
  CollectionDocument,
  IconAssetToken,
  Platform,
  ProcessingState,
  StateDetail
} from './apple-types.js'

/** An answer that is valid JSON but not of the shape the action reads. */
export class ShapeError extends Error {
  override name = 'ShapeError'
  constructor(
    /** Where, e.g. `data[3].attributes.version`. */
    readonly path: string,
    /** What, e.g. `is a number, not text`. */
    readonly problem: string
  ) {
    super(`${path} ${problem}`)
  }
}

/** Longest text kept from any attribute: Apple's are far shorter. */
const MAX_TEXT = 1024
/** An icon template URL or a next-page link. */
const MAX_URL = 8192
const APP_ID = /^\d{1,20}$/

type Json = Record<string, unknown>

/** A page of `GET /v1/builds` with its prerelease versions. */
export function readBuildsPage(body: unknown): CollectionDocument<BuildResource> {
  const page = object(body, 'the answer')
  return {
    data: list(page.data, 'data').map((item, index) => readBuild(item, `data[${index}]`)),
    included: readIncluded(page.included),
    links: readLinks(page.links)
  }
}

/** A page of `GET /v1/apps/{id}/appStoreVersions`, with the builds it includes. */
export function readAppStoreVersionsPage(
  body: unknown
): CollectionDocument<AppStoreVersionResource> & {
  builds: BuildResource[]
} {
  const page = object(body, 'the answer')
  const included =
    page.included === undefined || page.included === null ? [] : list(page.included, 'included')
  return {
    data: list(page.data, 'data').map((item, index) => readAppStoreVersion(item, `data[${index}]`)),
    builds: included.flatMap((item, index) =>
      isObject(item) && item.type === 'builds' ? [readBuild(item, `included[${index}]`)] : []
    ),
    links: readLinks(page.links)
  }
}

function readAppStoreVersion(value: unknown, path: string): AppStoreVersionResource {
  const resource = object(value, path)
  literal(resource.type, 'appStoreVersions', `${path}.type`)
  const attributes = optionalObject(resource.attributes, `${path}.attributes`) ?? {}
  const at = (name: string): string => `${path}.attributes.${name}`
  const build = relationship(
    optionalObject(resource.relationships, `${path}.relationships`),
    'build',
    path
  )
  return {
    type: 'appStoreVersions',
    id: identifier(resource.id, `${path}.id`),
    attributes: dropUndefined({
      platform: optionalText(attributes.platform, at('platform')),
      versionString: optionalText(attributes.versionString, at('versionString')),
      appVersionState: optionalText(attributes.appVersionState, at('appVersionState')),
      createdDate: optionalText(attributes.createdDate, at('createdDate'))
    }),
    ...(build ? { relationships: { build } } : {})
  }
}

/** A page of `GET /v1/apps`. */
export function readAppsPage(body: unknown): CollectionDocument<AppResource> {
  const page = object(body, 'the answer')
  return {
    data: list(page.data, 'data').map((item, index) => readApp(item, `data[${index}]`)),
    links: readLinks(page.links)
  }
}

/** `GET /v1/apps/{id}`: only whether it is an app matters. */
export function readAppInstance(body: unknown): { data: AppResource } {
  return { data: readApp(object(object(body, 'the answer').data, 'data'), 'data') }
}

/**
 * Apple's `{"errors": [...]}` body, read leniently: it only feeds a message, so entries
 * that are not objects are skipped, fields that are not text are dropped, and text is made
 * plain, redacted and cut, in that order (see outside-text.ts).
 */
export function readErrorEntries(body: unknown): AppleErrorEntry[] {
  const shortText = (value: unknown, max: number): string | undefined =>
    typeof value === 'string' ? outsideText(value, max) : undefined
  if (!isObject(body) || !Array.isArray(body.errors)) return []
  return body.errors
    .filter(isObject)
    .slice(0, 5)
    .map(entry => {
      const source = isObject(entry.source) ? entry.source : {}
      const see = isObject(entry.links) ? shortText(entry.links.see, 200) : undefined
      return {
        status: shortText(entry.status, 10),
        code: shortText(entry.code, 100),
        title: shortText(entry.title, 300),
        detail: shortText(entry.detail, 500),
        source: { parameter: shortText(source.parameter, 100) },
        ...(see ? { see } : {})
      }
    })
}

function readBuild(value: unknown, path: string): BuildResource {
  const resource = object(value, path)
  literal(resource.type, 'builds', `${path}.type`)
  const attributes = optionalObject(resource.attributes, `${path}.attributes`) ?? {}
  const at = (name: string): string => `${path}.attributes.${name}`
  const build: BuildResource = {
    type: 'builds',
    id: identifier(resource.id, `${path}.id`),
    attributes: dropUndefined({
      version: optionalText(attributes.version, at('version')),
      uploadedDate: optionalText(attributes.uploadedDate, at('uploadedDate')),
      expirationDate: optionalText(attributes.expirationDate, at('expirationDate')),
      expired: optionalBoolean(attributes.expired, at('expired')),
      minOsVersion: optionalText(attributes.minOsVersion, at('minOsVersion')),
      iconAssetToken: readIcon(attributes.iconAssetToken, at('iconAssetToken')),
      processingState: optionalText(attributes.processingState, at('processingState')) as
        ProcessingState | undefined,
      buildAudienceType: optionalText(attributes.buildAudienceType, at('buildAudienceType')) as
        BuildAudienceType | undefined,
      // null is Apple's "nobody has answered yet", kept as such.
      usesNonExemptEncryption:
        attributes.usesNonExemptEncryption === null
          ? null
          : optionalBoolean(attributes.usesNonExemptEncryption, at('usesNonExemptEncryption'))
    })
  }
  const relationships = optionalObject(resource.relationships, `${path}.relationships`)
  const preReleaseVersion = relationship(relationships, 'preReleaseVersion', path)
  const buildBetaDetail = relationship(relationships, 'buildBetaDetail', path)
  const appStoreVersion = relationship(relationships, 'appStoreVersion', path)
  if (preReleaseVersion || buildBetaDetail || appStoreVersion) {
    build.relationships = dropUndefined({ preReleaseVersion, buildBetaDetail, appStoreVersion })
  }
  return build
}

/** `relationships.<name>.data` as `{ data: { type, id } }`, or undefined when absent. */
function relationship(
  relationships: Json | undefined,
  name: string,
  path: string
): { data: { type: string; id: string } } | undefined {
  const where = `${path}.relationships.${name}`
  const data = optionalObject(optionalObject(relationships?.[name], where)?.data, `${where}.data`)
  if (!data) return undefined
  return {
    data: {
      type: text(data.type, `${where}.data.type`),
      id: identifier(data.id, `${where}.data.id`)
    }
  }
}

/** A page of `GET /v1/preReleaseVersions`: each version's spelling only. */
export function readPreReleaseVersionsPage(body: unknown): CollectionDocument<{
  type: 'preReleaseVersions'
  id: string
  attributes?: { version?: string }
}> {
  const page = object(body, 'the answer')
  return {
    data: list(page.data, 'data').map((item, index) => {
      const path = `data[${index}]`
      const resource = object(item, path)
      literal(resource.type, 'preReleaseVersions', `${path}.type`)
      const attributes = optionalObject(resource.attributes, `${path}.attributes`) ?? {}
      return {
        type: 'preReleaseVersions' as const,
        id: identifier(resource.id, `${path}.id`),
        attributes: dropUndefined({
          version: optionalText(attributes.version, `${path}.attributes.version`)
        })
      }
    }),
    links: readLinks(page.links)
  }
}

/** A page of `GET /v1/apps/{id}/buildUploads`. */
export function readUploadsPage(
  body: unknown
): CollectionDocument<BuildUploadResource> & { builds: BuildResource[] } {
  const page = object(body, 'the answer')
  const included =
    page.included === undefined || page.included === null ? [] : list(page.included, 'included')
  return {
    data: list(page.data, 'data').map((item, index) => readUpload(item, `data[${index}]`)),
    // With include=build: the builds the uploads became.
    builds: included.flatMap((item, index) =>
      isObject(item) && item.type === 'builds' ? [readBuild(item, `included[${index}]`)] : []
    ),
    links: readLinks(page.links)
  }
}

function readUpload(value: unknown, path: string): BuildUploadResource {
  const resource = object(value, path)
  literal(resource.type, 'buildUploads', `${path}.type`)
  const attributes = optionalObject(resource.attributes, `${path}.attributes`) ?? {}
  const at = (name: string): string => `${path}.attributes.${name}`
  const state = optionalObject(attributes.state, at('state'))
  return {
    type: 'buildUploads',
    id: identifier(resource.id, `${path}.id`),
    attributes: dropUndefined({
      cfBundleVersion: optionalText(attributes.cfBundleVersion, at('cfBundleVersion')),
      cfBundleShortVersionString: optionalText(
        attributes.cfBundleShortVersionString,
        at('cfBundleShortVersionString')
      ),
      platform: optionalText(attributes.platform, at('platform')) as Platform | undefined,
      createdDate: optionalText(attributes.createdDate, at('createdDate')),
      uploadedDate: optionalText(attributes.uploadedDate, at('uploadedDate')),
      state: state && {
        state: optionalText(state.state, at('state.state')) as BuildUploadState | undefined,
        errors: readStateDetails(state.errors, at('state.errors'))
      }
    }),
    ...withBuild(
      relationship(optionalObject(resource.relationships, `${path}.relationships`), 'build', path)
    )
  }
}

/** An upload's link to its build, when the answer gives one. */
function withBuild(
  build: { data: { type: string; id: string } } | undefined
): Pick<BuildUploadResource, 'relationships'> {
  return build ? { relationships: { build } } : {}
}

/** Why an upload failed: only feeds a message, so read leniently, at most ten, each made safe and cut short. */
function readStateDetails(value: unknown, path: string): StateDetail[] {
  if (value === undefined || value === null) return []
  return list(value, path)
    .filter(isObject)
    .slice(0, 10)
    .map(entry =>
      dropUndefined({
        code: typeof entry.code === 'string' ? outsideText(entry.code, 100) : undefined,
        description:
          typeof entry.description === 'string' ? outsideText(entry.description, 500) : undefined
      })
    )
}

function readIcon(value: unknown, path: string): IconAssetToken | undefined {
  const icon = optionalObject(value, path)
  if (!icon) return undefined
  return dropUndefined({
    templateUrl: optionalText(icon.templateUrl, `${path}.templateUrl`, MAX_URL),
    width: optionalSize(icon.width, `${path}.width`),
    height: optionalSize(icon.height, `${path}.height`)
  })
}

/** The fields read of each included resource type; other included types are not read. */
const INCLUDED_FIELDS: Record<string, readonly string[]> = {
  preReleaseVersions: ['version', 'platform'],
  buildBetaDetails: ['internalBuildState', 'externalBuildState'],
  appStoreVersions: ['versionString', 'appVersionState', 'platform']
}

/** The prerelease versions and TestFlight details among `included`. */
function readIncluded(value: unknown): CollectionDocument<BuildResource>['included'] {
  if (value === undefined || value === null) return []
  return list(value, 'included').flatMap((item, index) => {
    const path = `included[${index}]`
    const resource = object(item, path)
    const type = text(resource.type, `${path}.type`)
    const fields = INCLUDED_FIELDS[type]
    if (!fields) return []
    const attributes = optionalObject(resource.attributes, `${path}.attributes`) ?? {}
    const id = identifier(resource.id, `${path}.id`)
    const included = {
      type,
      id,
      attributes: dropUndefined(
        Object.fromEntries(
          fields.map(name => [name, optionalText(attributes[name], `${path}.attributes.${name}`)])
        )
      )
    }
    // A TestFlight detail may name its own build: then it counts for that build only.
    const build =
      type === 'buildBetaDetails'
        ? relationship(
            optionalObject(resource.relationships, `${path}.relationships`),
            'build',
            path
          )
        : undefined
    return [build ? { ...included, relationships: { build } } : included]
  })
}

function readApp(value: unknown, path: string): AppResource {
  const resource = object(value, path)
  literal(resource.type, 'apps', `${path}.type`)
  const id = identifier(resource.id, `${path}.id`)
  if (!APP_ID.test(id)) throw new ShapeError(`${path}.id`, 'is not an Apple ID (digits)')
  const attributes = optionalObject(resource.attributes, `${path}.attributes`) ?? {}
  return {
    type: 'apps',
    id,
    attributes: dropUndefined({
      bundleId: optionalText(attributes.bundleId, `${path}.attributes.bundleId`)
    })
  }
}

function readLinks(value: unknown): { next?: string } {
  const links = optionalObject(value, 'links')
  const next = optionalText(links?.next, 'links.next', MAX_URL)
  return next === undefined ? {} : { next }
}

// ---------------------------------------------------------------------------------------------
// The small vocabulary the readers are written in

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** "a number", "a list", "null"... for messages; never the value itself. */
function kind(value: unknown): string {
  if (value === undefined) return 'missing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'string') return 'text'
  if (typeof value === 'object') return 'an object'
  return `a ${typeof value}`
}

function object(value: unknown, path: string): Json {
  if (!isObject(value)) throw new ShapeError(path, `is ${kind(value)}, not an object`)
  return value
}

function optionalObject(value: unknown, path: string): Json | undefined {
  return value === undefined || value === null ? undefined : object(value, path)
}

function list(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new ShapeError(path, `is ${kind(value)}, not a list`)
  return value
}

function text(value: unknown, path: string, max = MAX_TEXT): string {
  if (typeof value !== 'string') throw new ShapeError(path, `is ${kind(value)}, not text`)
  if (value.length > max) {
    throw new ShapeError(path, `is ${value.length} characters long, more than ${max}`)
  }
  return value
}

function optionalText(value: unknown, path: string, max = MAX_TEXT): string | undefined {
  return value === undefined || value === null ? undefined : text(value, path, max)
}

function identifier(value: unknown, path: string): string {
  const id = text(value, path, 128)
  if (id === '') throw new ShapeError(path, 'is empty')
  return id
}

function literal(value: unknown, expected: string, path: string): void {
  if (text(value, path) !== expected) throw new ShapeError(path, `is not "${expected}"`)
}

function optionalBoolean(value: unknown, path: string): boolean | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'boolean') throw new ShapeError(path, `is ${kind(value)}, not true or false`)
  return value
}

function optionalSize(value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 100_000) {
    throw new ShapeError(path, `is ${kind(value)}, not a whole number of pixels`)
  }
  return value
}

/** The object without its undefined fields, so that JSON of it shows only what Apple sent. */
function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T
}
