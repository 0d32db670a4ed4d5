// The app behind the inputs: a bundle id looked up exactly, with the nearest ones suggested
// when none matches, an app id checked to exist when a search finds nothing, and the app's
// name in messages.
import { distance } from 'fastest-levenshtein'
import type { AppStoreConnectClient } from '../apple/asc-client.js'
import { readAppInstance, readAppsPage } from '../apple/shapes.js'
import { ActionError } from '../errors.js'
import { parameterOf } from './filters.js'
import type { AppSelector } from './search-types.js'

/**
 * The app id of a bundle id. Apple's `filter[bundleId]` also returns longer ids that start
 * the same way (com.acme.app.widget for com.acme.app), so the match is made here, exactly;
 * and as that filter has failed before, an empty answer is checked against every app.
 */
export async function resolveAppId(
  client: AppStoreConnectClient,
  app: AppSelector
): Promise<string> {
  return app.appId ?? resolveBundleId(client, app.bundleId)
}

async function resolveBundleId(client: AppStoreConnectClient, bundleId: string): Promise<string> {
  const url = client.url('/v1/apps', {
    [parameterOf('bundle-id')]: bundleId,
    'fields[apps]': 'bundleId,name',
    limit: '200'
  })
  for await (const page of client.pages(url, `looking up bundle id ${bundleId}`, readAppsPage)) {
    const match = page.data.find(app => app.attributes?.bundleId === bundleId)
    if (match) return match.id
  }
  // If listing every app fails, the missing bundle id is still the news.
  const everyApp = await searchEveryApp(client, bundleId).catch((error: unknown) => {
    if (error instanceof ActionError) return { match: undefined, closest: [] }
    throw error
  })
  if (everyApp.match) return everyApp.match
  const { closest } = everyApp
  const suggestion = closest.length > 0 ? ` The closest it can see: ${closest.join(', ')}.` : ''
  throw new ActionError(
    `No app with bundle id ${bundleId} is visible to this API key: check bundle-id (it must match exactly, case included), or use app-id.${suggestion}`
  )
}

/**
 * On the not-found path only: the app with exactly this bundle id among every app the key
 * can see, else the three bundle ids nearest to it (only those are kept while paging).
 */
async function searchEveryApp(
  client: AppStoreConnectClient,
  bundleId: string
): Promise<{ match: string | undefined; closest: string[] }> {
  const url = client.url('/v1/apps', { 'fields[apps]': 'bundleId', limit: '200' })
  const wanted = bundleId.toLowerCase()
  let closest: Array<{ candidate: string; distance: number }> = []
  for await (const page of client.pages(url, 'listing the apps the key can see', readAppsPage)) {
    const match = page.data.find(app => app.attributes?.bundleId === bundleId)
    if (match) return { match: match.id, closest: [] }
    const candidates = page.data.flatMap(app => {
      const candidate = app.attributes?.bundleId
      return candidate ? [{ candidate, distance: distance(wanted, candidate.toLowerCase()) }] : []
    })
    closest = [...closest, ...candidates]
      .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
      .slice(0, 3)
  }
  return { match: undefined, closest: closest.map(({ candidate }) => candidate) }
}

/** On the not-found path only: tells "no such app" (a 404 with its hint) from "no build matches". */
export async function assertAppExists(client: AppStoreConnectClient, appId: string): Promise<void> {
  // A 404 here fails with Apple's answer and the app-id hint.
  await client.get(
    client.url(`/v1/apps/${appId}`, { 'fields[apps]': 'bundleId' }),
    `looking up app ${appId}`,
    readAppInstance
  )
}

/** "app 1600000001 (com.example.weather)", or as much of it as is known. */
export function appLabel(app: AppSelector, appId: string | undefined): string {
  const id = appId ? `app ${appId}` : 'the app'
  return app.bundleId ? `${id} (${app.bundleId})` : id
}
