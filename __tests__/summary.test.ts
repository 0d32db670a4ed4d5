// The report of the job summary and the pull-request comment, as the HTML GitHub renders.
import { describe, expect, it } from '@jest/globals'
import type { Outputs } from '../src/report/outputs.js'
import { composeReport, type ReportContext } from '../src/report/summary.js'
import { NOT_FOUND_OUTPUTS } from './support/documents.js'

const NOT_FOUND = NOT_FOUND_OUTPUTS
const FOUND: Outputs = {
  ...NOT_FOUND,
  found: 'true',
  'build-id': '6f0c3a52-8d1e-4c7b-9a3e-2b5d7e8f9a01',
  'build-number': '631',
  version: '631',
  'expiration-date': '2027-02-24T10:00:00-08:00',
  'uploaded-date': '2026-11-26T10:00:00-08:00',
  'expires-in-days': '88',
  expired: 'false',
  'processing-state': 'VALID',
  'app-version': '2.4.0',
  platform: 'IOS',
  'min-os-version': '17.0',
  'build-audience-type': 'APP_STORE_ELIGIBLE',
  'internal-build-state': 'MISSING_EXPORT_COMPLIANCE',
  'external-build-state': 'MISSING_EXPORT_COMPLIANCE',
  'app-store-version': '2.4.0',
  'app-store-state': 'PREPARE_FOR_SUBMISSION',
  'icon-url': 'https://is1-ssl.mzstatic.com/image/thumb/Purple/v4/ab/Icon.png/1024x1024bb.png'
}
const CONTEXT: ReportContext = {
  appLabel: 'app 1600000001 (com.example.weather)',
  rule: 'most recently uploaded',
  filters: 'processing state VALID, not expired, platform IOS',
  rateLimit: undefined
}

/** The table rows of a report, as [name, cell HTML]. */
function rows(html: string): Array<[string, string]> {
  return [...html.matchAll(/<tr><td>(.*?)<\/td><td>(.*?)<\/td><\/tr>/g)].map(match => [
    match[1]!,
    match[2]!
  ])
}

describe('composeReport, a build found', () => {
  it('is a heading, a table of the build and what was searched for, one element a line', () => {
    const html = composeReport(FOUND, CONTEXT)
    expect(html.split('\n')).toEqual([
      '<h3>Build 631 (2.4.0) for iOS</h3>',
      expect.stringMatching(/^<table>(<tr><td>[^<]*<\/td><td>.*?<\/td><\/tr>){12}<\/table>$/),
      '<p>The most recently uploaded build of app 1600000001 (com.example.weather) with processing state VALID, not expired, platform IOS.</p>',
      ''
    ])
    expect(rows(html)).toEqual([
      ['Build number', '<code>631</code>'],
      ['Marketing version', '<code>2.4.0</code>'],
      ['Platform', 'iOS'],
      ['State', 'VALID'],
      ['Uploaded', '2026-11-26T10:00:00-08:00'],
      ['Expires', '2027-02-24T10:00:00-08:00 (88 days left)'],
      ['Min OS', '17.0'],
      // Underscores as entities: no Markdown emphasis can start in a cell.
      ['Audience', 'APP&#95;STORE&#95;ELIGIBLE'],
      // Export compliance holds this build: the summary must not show it as fine.
      [
        'TestFlight',
        'internal MISSING&#95;EXPORT&#95;COMPLIANCE, external MISSING&#95;EXPORT&#95;COMPLIANCE'
      ],
      ['App Store', 'version <code>2.4.0</code>, PREPARE&#95;FOR&#95;SUBMISSION'],
      [
        'Icon',
        '<img src="https://is1-ssl.mzstatic.com/image/thumb/Purple/v4/ab/Icon.png/1024x1024bb.png" alt="App icon" width="48" height="48">'
      ],
      [
        'App Store Connect',
        '<a href="https://appstoreconnect.apple.com/apps/1600000001/testflight/ios/6f0c3a52-8d1e-4c7b-9a3e-2b5d7e8f9a01">6f0c3a52-8d1e-4c7b-9a3e-2b5d7e8f9a01</a>'
      ]
    ])
  })

  it('says when the build is in no App Store version, and shows whichever TestFlight state Apple sent', () => {
    const html = composeReport(
      {
        ...FOUND,
        'internal-build-state': 'IN_BETA_TESTING',
        'external-build-state': '',
        'app-store-version': '',
        'app-store-state': ''
      },
      CONTEXT
    )
    expect(rows(html)).toContainEqual(['TestFlight', 'internal IN&#95;BETA&#95;TESTING'])
    expect(rows(html)).toContainEqual(['App Store', 'in no App Store version'])
    const none = composeReport(
      { ...FOUND, 'internal-build-state': '', 'external-build-state': '' },
      CONTEXT
    )
    expect(rows(none)).toContainEqual(['TestFlight', '–'])
  })

  it.each([
    ['MAC_OS', 'macOS', 'macos'],
    ['TV_OS', 'tvOS', 'tvos'],
    ['VISION_OS', 'visionOS', 'visionos']
  ])('names %s as people write it, and links its TestFlight page', (platform, name, slug) => {
    const html = composeReport({ ...FOUND, platform }, CONTEXT)
    expect(html).toContain(`<h3>Build 631 (2.4.0) for ${name}</h3>`)
    expect(rows(html)).toContainEqual(['Platform', name])
    expect(html).toContain(
      `href="https://appstoreconnect.apple.com/apps/1600000001/testflight/${slug}/6f0c3a52-8d1e-4c7b-9a3e-2b5d7e8f9a01"`
    )
  })

  it('shows a dash for what Apple did not say, and links the iOS page without a platform', () => {
    const html = composeReport(
      {
        ...FOUND,
        'app-version': '',
        platform: '',
        'min-os-version': '',
        'icon-url': '',
        'expiration-date': '',
        'expires-in-days': ''
      },
      CONTEXT
    )
    expect(html).toMatch(/^<h3>Build 631<\/h3>\n/)
    expect(Object.fromEntries(rows(html))).toMatchObject({
      'Marketing version': '–',
      Platform: '–',
      Expires: '– (no expiration date)',
      'Min OS': '–',
      Icon: '–'
    })
    expect(html).toContain('/testflight/ios/6f0c3a52-8d1e-4c7b-9a3e-2b5d7e8f9a01"')
  })

  it.each([
    ['1', '(1 day left)'],
    ['0', '(0 days left)'],
    ['-1', '(expired 1 day ago)'],
    ['-3', '(expired 3 days ago)']
  ])('says %s days until expiry as %s', (days, said) => {
    const html = composeReport({ ...FOUND, 'expires-in-days': days }, CONTEXT)
    expect(Object.fromEntries(rows(html)).Expires).toBe(`2027-02-24T10:00:00-08:00 ${said}`)
  })

  it('says how long it waited, the quota left, and why the step failed, in that order', () => {
    const html = composeReport(FOUND, {
      ...CONTEXT,
      waited: '2 min 10 s',
      rateLimit: { limit: 3600, remaining: 3541 },
      failure: 'Build 631 expires in 6 days, fewer than min-days-until-expiry (7).'
    })
    expect(html.split('\n').slice(2)).toEqual([
      '<p>The most recently uploaded build of app 1600000001 (com.example.weather) with processing state VALID, not expired, platform IOS.</p>',
      '<p>It became ready after a wait of 2 min 10 s.</p>',
      '<p><strong>The step failed:</strong> Build 631 expires in 6 days, fewer than min-days-until-expiry (7).</p>',
      '<p><sub>API requests left this hour for this key: 3541 of 3600.</sub></p>',
      ''
    ])
  })
})

describe('composeReport, no build', () => {
  it('says nothing was found and what was searched for, with no table', () => {
    expect(composeReport(NOT_FOUND, CONTEXT)).toBe(
      '<h3>No App Store Connect build found</h3>\n' +
        '<p>Searched for the most recently uploaded build of app 1600000001 (com.example.weather) with processing state VALID, not expired, platform IOS.</p>\n'
    )
  })

  it('adds why the step failed, and never a wait it did not make', () => {
    const html = composeReport(NOT_FOUND, {
      ...CONTEXT,
      waited: '10 min',
      failure: 'No build of app 1600000001 matches.'
    })
    expect(html).not.toContain('became ready')
    expect(html).toContain(
      '<p><strong>The step failed:</strong> No build of app 1600000001 matches.</p>'
    )
  })
})

describe('composeReport keeps text from the API and the inputs in its place', () => {
  it('escapes markup, Markdown and mentions in every value, and breaks no line', () => {
    const html = composeReport(FOUND, {
      appLabel: 'app 1 (<b>x</b>)',
      rule: 'most [recently](https://e.example) uploaded',
      filters: 'platform IOS\n\n# heading',
      rateLimit: undefined,
      failure: 'Apple said: <script>alert(1)</script> @octocat'
    })
    expect(html).toContain(
      'most &#91;recently&#93;(https://e.example) uploaded build of app 1 (&lt;b&gt;x&lt;/b&gt;) with platform IOS &#35;&#8203; heading.'
    )
    expect(html).toContain(
      '<strong>The step failed:</strong> Apple said: &lt;script&gt;alert(1)&lt;/script&gt; &#64;&#8203;octocat</p>'
    )
    expect(html.split('\n')).toHaveLength(5)
  })
})
