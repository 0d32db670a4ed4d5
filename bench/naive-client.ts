// The approach a user writes by hand from Apple's "List All Builds of an App" page: page
// through GET /v1/apps/{id}/builds (200 a page) and pick the newest VALID, unexpired build on
// the client. Run as its own process by the benchmark; prints one JSON line.
import { createPrivateKey } from 'node:crypto'
import { SignJWT } from 'jose'
import { request } from 'undici'

interface Page {
  data: Array<{
    id: string
    attributes: { uploadedDate: string; processingState: string; expired: boolean }
  }>
  links: { next?: string }
}

const setting = (name: string): string => process.env[name] ?? ''
const [BASE_URL, APP_ID, KEY_ID, ISSUER_ID, PRIVATE_KEY] = [
  'BASE_URL',
  'APP_ID',
  'KEY_ID',
  'ISSUER_ID',
  'PRIVATE_KEY'
].map(setting)
const token = await new SignJWT({ iss: ISSUER_ID })
  .setProtectedHeader({ alg: 'ES256', kid: KEY_ID, typ: 'JWT' })
  .setAudience('appstoreconnect-v1')
  .setIssuedAt(Math.floor(Date.now() / 1000) - 60)
  .setExpirationTime(Math.floor(Date.now() / 1000) + 14 * 60)
  .sign(createPrivateKey(PRIVATE_KEY!))

let next: string | undefined = `${BASE_URL}/v1/apps/${APP_ID}/builds?limit=200`
let requests = 0
let bytes = 0
let latest: Page['data'][number] | undefined
while (next) {
  const response = await request(next, { headers: { authorization: `Bearer ${token}` } })
  const text = await response.body.text()
  requests++
  bytes += Buffer.byteLength(text)
  const page = JSON.parse(text) as Page
  for (const build of page.data) {
    const usable = build.attributes.processingState === 'VALID' && !build.attributes.expired
    if (
      usable &&
      (!latest ||
        Date.parse(build.attributes.uploadedDate) > Date.parse(latest.attributes.uploadedDate))
    ) {
      latest = build
    }
  }
  next = page.links.next
}
console.log(JSON.stringify({ requests, bytes, buildId: latest?.id ?? null }))
