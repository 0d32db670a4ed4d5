// Small App Store Connect documents for unit tests, in the shapes of Apple's recorded answers:
// build dates in Pacific time with an offset and no fraction, absent values as explicit nulls,
// attributes the OpenAPI document does not list (qcState, computedMinRealityOsVersion,
// didNotify, removed, isAAG), relationships with their links, and error bodies without an id
// where Apple sends none (401, 5xx).
import type { Outputs } from '../../src/report/outputs.js'
import type {
  BuildAudienceType,
  BuildResource,
  BuildUploadState,
  ExternalBuildState,
  InternalBuildState,
  Open,
  Platform,
  ProcessingState
} from '../../src/apple/apple-types.js'

export interface BuildSpec {
  id: string
  version: string
  uploaded: string
  expires?: string
  expired?: boolean
  state?: Open<ProcessingState>
  preRelease?: { id: string; version: string; platform: Open<Platform> }
  audience?: Open<BuildAudienceType>
  /** TestFlight states, included as the build's buildBetaDetail. */
  beta?: { internal?: Open<InternalBuildState>; external?: Open<ExternalBuildState> }
}

const API = 'https://api.appstoreconnect.apple.com/v1'

export function buildResource(spec: BuildSpec): BuildResource {
  return {
    type: 'builds',
    id: spec.id,
    attributes: {
      version: spec.version,
      uploadedDate: spec.uploaded,
      expirationDate: spec.expires ?? '2099-01-01T00:00:00-08:00',
      expired: spec.expired ?? false,
      minOsVersion: '17.0',
      lsMinimumSystemVersion: null,
      computedMinMacOsVersion: '14.0',
      computedMinVisionOsVersion: '1.0',
      iconAssetToken: {
        templateUrl: 'https://is1-ssl.mzstatic.com/image/thumb/Purple/v4/ab/Icon.png/{w}x{h}bb.{f}',
        width: 1024,
        height: 1024
      },
      processingState: spec.state ?? 'VALID',
      buildAudienceType: spec.audience ?? 'APP_STORE_ELIGIBLE',
      usesNonExemptEncryption: false,
      computedMinRealityOsVersion: null,
      qcState: 'BETA_INTERNAL_TESTING'
    } as BuildResource['attributes'],
    relationships: {
      preReleaseVersion: {
        links: {
          self: `${API}/builds/${spec.id}/relationships/preReleaseVersion`,
          related: `${API}/builds/${spec.id}/preReleaseVersion`
        },
        data: { type: 'preReleaseVersions', id: (spec.preRelease ?? DEFAULT_PRE_RELEASE).id }
      },
      ...(spec.beta
        ? { buildBetaDetail: { data: { type: 'buildBetaDetails', id: `beta-${spec.id}` } } }
        : {})
    } as BuildResource['relationships']
  }
}

const DEFAULT_PRE_RELEASE = { id: 'prv-1', version: '2.4.0', platform: 'IOS' as Open<Platform> }

/** A `GET /v1/builds` page with its prerelease versions included. */
export function buildsPage(specs: BuildSpec[], next?: string): object {
  const preReleases = new Map(
    specs.map(spec => spec.preRelease ?? DEFAULT_PRE_RELEASE).map(prv => [prv.id, prv])
  )
  return {
    data: specs.map(buildResource),
    included: [
      ...[...preReleases.values()].map(prv => ({
        type: 'preReleaseVersions',
        id: prv.id,
        attributes: { version: prv.version, platform: prv.platform }
      })),
      ...specs
        .filter(spec => spec.beta)
        .map(spec => ({
          type: 'buildBetaDetails',
          id: `beta-${spec.id}`,
          attributes: {
            autoNotifyEnabled: false,
            didNotify: false,
            internalBuildState: spec.beta!.internal,
            externalBuildState: spec.beta!.external
          }
        }))
    ],
    links: { self: 'https://api.appstoreconnect.apple.com/v1/builds', ...(next ? { next } : {}) },
    meta: { paging: { total: specs.length, limit: 50 } }
  }
}

export function appsPage(apps: Array<{ id: string; bundleId: string }>, next?: string): object {
  return {
    data: apps.map(app => ({
      type: 'apps',
      id: app.id,
      attributes: {
        bundleId: app.bundleId,
        name: app.bundleId,
        accessibilityUrl: null,
        removed: false,
        isAAG: false
      }
    })),
    links: { self: 'https://api.appstoreconnect.apple.com/v1/apps', ...(next ? { next } : {}) },
    meta: { paging: { total: apps.length, limit: 200 } }
  }
}

/** Apple's error body; the 401 and 5xx ones Apple sends have no `id`. */
export function appleError(status: number, code: string, detail: string): object {
  const id = status === 401 || status >= 500 ? {} : { id: '6d3c4f1e-2b7a-4c55-9e0a-1f2d3c4b5a69' }
  return { errors: [{ ...id, status: String(status), code, title: 'Error', detail }] }
}

export interface UploadSpec {
  id: string
  buildNumber: string
  appVersion?: string
  platform?: Platform
  state: BuildUploadState
  errors?: Array<{ code?: string; description?: string }>
  /** When the upload began; 10:00 on 27 November 2026 by default. */
  created?: string
  /** When it finished uploading; 10:01 on 27 November 2026 by default, none while awaiting. */
  uploaded?: string
  /** The build it became, linked and included as `include=build` sends it. */
  build?: { id: string; state: Open<ProcessingState> }
}

/** A `GET /v1/apps/{id}/buildUploads` page. */
export function uploadsPage(specs: UploadSpec[], next?: string): object {
  return {
    data: specs.map(spec => ({
      type: 'buildUploads',
      id: spec.id,
      attributes: {
        cfBundleVersion: spec.buildNumber,
        cfBundleShortVersionString: spec.appVersion ?? '2.4.0',
        platform: spec.platform ?? 'IOS',
        createdDate: spec.created ?? '2026-11-27T10:00:00-08:00',
        uploadedDate:
          spec.state === 'AWAITING_UPLOAD' ? null : (spec.uploaded ?? '2026-11-27T10:01:00-08:00'),
        state: { state: spec.state, errors: spec.errors ?? [], warnings: [], infos: [] }
      },
      relationships: {
        build: { data: spec.build ? { type: 'builds', id: spec.build.id } : null }
      }
    })),
    included: specs.flatMap(spec =>
      spec.build
        ? [
            {
              type: 'builds',
              id: spec.build.id,
              attributes: { version: spec.buildNumber, processingState: spec.build.state }
            }
          ]
        : []
    ),
    links: {
      self: 'https://api.appstoreconnect.apple.com/v1/apps/1/buildUploads',
      ...(next ? { next } : {})
    },
    meta: { paging: { total: specs.length, limit: 200 } }
  }
}

/** Every output of "not found" for app 1600000001, as the action writes them. */
export const NOT_FOUND_OUTPUTS: Outputs = {
  found: 'false',
  'build-id': '',
  'build-number': '',
  version: '',
  'expiration-date': '',
  'uploaded-date': '',
  'expires-in-days': '',
  expired: '',
  'processing-state': '',
  'app-version': '',
  platform: '',
  'min-os-version': '',
  'build-audience-type': '',
  'internal-build-state': '',
  'external-build-state': '',
  'app-store-version': '',
  'app-store-state': '',
  'uses-non-exempt-encryption': '',
  'icon-url': '',
  'app-id': '1600000001',
  'build-json': '',
  'rate-limit-remaining': '',
  'next-build-number': '',
  'waited-seconds': '0'
}
