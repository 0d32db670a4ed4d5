// The least any action answering the same question must do, bundled by ncc as src/index.ts
// is: read the inputs, sign one ES256 token with jose, send the action's one request with
// undici, parse the answer and write the first build as outputs. No checks, no retries, no
// report: the floor the action's start-up is compared with, beside the imports-only bundle.
import { createPrivateKey } from 'node:crypto'
import * as core from '@actions/core'
import { SignJWT } from 'jose'
import { request } from 'undici'

const now = Math.floor(Date.now() / 1000)
const token = await new SignJWT({ iss: core.getInput('issuer-id') })
  .setProtectedHeader({ alg: 'ES256', kid: core.getInput('key-id'), typ: 'JWT' })
  .setAudience('appstoreconnect-v1')
  .setIssuedAt(now - 60)
  .setExpirationTime(now + 14 * 60)
  .sign(createPrivateKey(core.getInput('private-key')))
const url = new URL('/v1/builds', core.getInput('api-base-url'))
for (const [name, value] of Object.entries({
  'filter[app]': core.getInput('app-id'),
  'filter[processingState]': 'VALID',
  'filter[expired]': 'false',
  'filter[preReleaseVersion.platform]': 'IOS',
  sort: '-uploadedDate',
  include: 'preReleaseVersion,buildBetaDetail',
  'fields[builds]':
    'version,uploadedDate,expirationDate,expired,minOsVersion,iconAssetToken,processingState,' +
    'buildAudienceType,usesNonExemptEncryption,preReleaseVersion,buildBetaDetail',
  'fields[preReleaseVersions]': 'version,platform',
  'fields[buildBetaDetails]': 'internalBuildState,externalBuildState',
  limit: '50'
})) {
  url.searchParams.set(name, value)
}
const response = await request(url, { headers: { authorization: `Bearer ${token}` } })
const page = (await response.body.json()) as {
  data: Array<{ id: string; attributes: Record<string, unknown> }>
}
const build = page.data[0]
core.setOutput('found', String(build !== undefined))
core.setOutput('build-id', build?.id ?? '')
core.setOutput('version', String(build?.attributes.version ?? ''))
core.setOutput('expiration-date', String(build?.attributes.expirationDate ?? ''))
