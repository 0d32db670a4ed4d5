// A release train Apple stores under a spelling no query guesses: the first upload of 1.7
// may have said `1.07`, and Apple finds the train by that spelling only. Listing the app's
// versions finds it; done only when a search within `app-version` found nothing.
import type { AppStoreConnectClient, PageCap } from '../apple/asc-client.js'
import { readPreReleaseVersionsPage } from '../apple/shapes.js'
import { sameVersion, versionSpellings } from './versions.js'

/**
 * Versions are read 200 a page. One version a week for 20 years on each of four platforms is
 * about 4,200 versions: 25 pages (5,000) hold any real app.
 */
export const VERSION_PAGES: PageCap = { pages: 25, items: 'versions', perPage: 200 }

/**
 * The spellings, on any platform, under which Apple stores the train of `appVersion` and
 * that `versionSpellings` does not ask for. One request (200 versions a page).
 */
export async function unaskedSpellings(
  client: AppStoreConnectClient,
  appId: string,
  appVersion: string
): Promise<string[]> {
  const asked = new Set(versionSpellings(appVersion))
  const url = client.url('/v1/preReleaseVersions', {
    'filter[app]': appId,
    'fields[preReleaseVersions]': 'version',
    limit: '200'
  })
  const found = new Set<string>()
  for await (const page of client.pages(
    url,
    `listing the versions of app ${appId}`,
    readPreReleaseVersionsPage,
    VERSION_PAGES
  )) {
    for (const version of page.data) {
      const spelling = version.attributes?.version
      if (spelling && !asked.has(spelling) && sameVersion(spelling, appVersion)) found.add(spelling)
    }
  }
  return [...found]
}
