// Uploads (`buildUploads`): an upload exists before its build does, and stays invisible to
// `/v1/builds` until processing has gone far enough.
import {
  isOneOf,
  type BuildResource,
  type BuildUploadResource,
  type BuildUploadState,
  type Platform
} from '../apple/apple-types.js'
import type { AppStoreConnectClient, PageCap } from '../apple/asc-client.js'
import { readUploadsPage } from '../apple/shapes.js'
import { sameVersion, trainSpellings } from './versions.js'

/** Uploads that are not, or not yet, a build: in flight, or failed. */
export const UNFINISHED_UPLOAD_STATES: readonly BuildUploadState[] = [
  'AWAITING_UPLOAD',
  'PROCESSING',
  'FAILED'
]

/**
 * Uploads are read 200 a page. Apple has kept upload records only since the uploads API came
 * in 2025: 50 pages (10,000 uploads) is over 25 uploads a day for a year, on one app.
 */
export const UPLOAD_PAGES: PageCap = { pages: 50, items: 'uploads', perPage: 200 }

export interface UploadFilters {
  platform?: Platform
  appVersion?: string
  /** Spellings of the `appVersion` train beyond the usual ones (see BuildFilters). */
  storedSpellings?: readonly string[]
  buildNumber?: string
  states?: readonly BuildUploadState[]
}

/**
 * Every upload of the app that matches, newest first, re-checked on the client. Reads 200
 * a page, so one request unless uploads span more than one page.
 */
export async function listUploads(
  client: AppStoreConnectClient,
  appId: string,
  filters: UploadFilters
): Promise<BuildUploadResource[]> {
  const url = client.url(`/v1/apps/${appId}/buildUploads`, uploadsQuery(filters))
  const uploads: BuildUploadResource[] = []
  for await (const page of client.pages(
    url,
    `listing the uploads of app ${appId}`,
    readUploadsPage,
    UPLOAD_PAGES
  )) {
    uploads.push(...(page.data ?? []).filter(upload => uploadMatches(upload, filters)))
  }
  return uploads
}

/** The uploads that match, newest first, with the builds they became: one request. */
export interface UploadsWithBuilds {
  uploads: BuildUploadResource[]
  /** By build id: what `include=build` sent (the build's own attributes, no relationships read). */
  builds: Map<string, BuildResource>
}

/**
 * One page of the uploads that match, with their builds (`include=build`): what a wait reads
 * while its upload is not a build yet. One build number's uploads fit one page of 200.
 */
export async function uploadsWithBuilds(
  client: AppStoreConnectClient,
  appId: string,
  filters: UploadFilters,
  purpose: string
): Promise<UploadsWithBuilds> {
  const query = {
    ...uploadsQuery(filters),
    include: 'build',
    'fields[builds]': 'version,uploadedDate,processingState'
  }
  const page = await client.get(
    client.url(`/v1/apps/${appId}/buildUploads`, query),
    purpose,
    readUploadsPage
  )
  return {
    uploads: page.data.filter(upload => uploadMatches(upload, filters)),
    builds: new Map(page.builds.map(build => [build.id, build]))
  }
}

function uploadsQuery(filters: UploadFilters): Record<string, string> {
  const query: Record<string, string> = {
    sort: '-uploadedDate',
    'fields[buildUploads]':
      'cfBundleVersion,cfBundleShortVersionString,platform,createdDate,uploadedDate,state,build',
    limit: '200'
  }
  if (filters.platform) query['filter[platform]'] = filters.platform
  if (filters.appVersion) {
    query['filter[cfBundleShortVersionString]'] = trainSpellings(
      filters.appVersion,
      filters.storedSpellings
    ).join(',')
  }
  if (filters.buildNumber) query['filter[cfBundleVersion]'] = filters.buildNumber
  if (filters.states) query['filter[state]'] = filters.states.join(',')
  return query
}

function uploadMatches(upload: BuildUploadResource, filters: UploadFilters): boolean {
  const attributes = upload.attributes ?? {}
  if (filters.platform && attributes.platform !== filters.platform) return false
  if (
    filters.appVersion &&
    !(
      attributes.cfBundleShortVersionString &&
      sameVersion(attributes.cfBundleShortVersionString, filters.appVersion)
    )
  ) {
    return false
  }
  if (filters.buildNumber && attributes.cfBundleVersion !== filters.buildNumber) return false
  const state = attributes.state?.state
  if (filters.states && !isOneOf(filters.states, state)) return false
  return true
}
