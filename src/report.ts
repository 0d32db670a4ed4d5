// The chosen build as a compact HTML report, for the job summary and the pull-request comment.
import { summary } from '@actions/core'
import type { RateLimit } from './asc-client.js'
import type { Outputs } from './outputs.js'

export interface ReportContext {
  /** "app 1600000001 (com.example.weather)" */
  appLabel: string
  /** "most recently uploaded" */
  rule: string
  /** "processing state VALID, not expired, platform IOS" */
  filters: string
  rateLimit: RateLimit | undefined
}

const TESTFLIGHT_PLATFORM: Record<string, string> = {
  IOS: 'ios',
  MAC_OS: 'macos',
  TV_OS: 'tvos',
  VISION_OS: 'visionos'
}

/** Fills the job summary buffer with the report and returns it as HTML. */
export function composeReport(outputs: Outputs, context: ReportContext): string {
  summary.emptyBuffer()
  if (outputs.found !== 'true') {
    summary
      .addHeading('No App Store Connect build found', 3)
      .addRaw(
        `<p>No build of ${escape(context.appLabel)} is the ${escape(context.rule)} with ${escape(context.filters)}.</p>`,
        true
      )
  } else {
    const days = Number(outputs['expires-in-days'])
    const version = outputs['app-version'] ? ` (${outputs['app-version']})` : ''
    const platform = outputs.platform ? ` for ${platformName(outputs.platform)}` : ''
    // A two-column table of names and values: no header row (core.summary leaves an empty cell unclosed).
    summary.addHeading(escape(`Build ${outputs.version}${version}${platform}`), 3).addTable([
      ['Build number', code(outputs.version)],
      ['Marketing version', code(outputs['app-version'])],
      ['Platform', escape(platformName(outputs.platform))],
      ['State', escape(outputs['processing-state'])],
      ['Uploaded', escape(outputs['uploaded-date'])],
      [
        'Expires',
        `${escape(outputs['expiration-date'])} (${days === 1 ? '1 day' : `${days} days`} left)`
      ],
      ['Min OS', escape(outputs['min-os-version'] || '–')],
      ['Audience', escape(outputs['build-audience-type'] || '–')],
      [
        'Icon',
        outputs['icon-url']
          ? `<img src="${escape(outputs['icon-url'])}" alt="App icon" width="48" height="48">`
          : '–'
      ],
      ['App Store Connect', buildLink(outputs)]
    ])
    summary.addRaw(
      `<p>The ${escape(context.rule)} build of ${escape(context.appLabel)} with ${escape(context.filters)}.</p>`,
      true
    )
  }
  if (context.rateLimit) {
    const { remaining, limit } = context.rateLimit
    summary.addRaw(
      `<p><sub>API requests left this hour for this key: ${remaining} of ${limit}.</sub></p>`,
      true
    )
  }
  return summary.stringify()
}

function buildLink(outputs: Outputs): string {
  const platform = TESTFLIGHT_PLATFORM[outputs.platform] ?? 'ios'
  const href = `https://appstoreconnect.apple.com/apps/${encodeURIComponent(outputs['app-id'])}/testflight/${platform}/${encodeURIComponent(outputs['build-id'])}`
  return `<a href="${escape(href)}">${escape(outputs['build-id'])}</a>`
}

function platformName(platform: string): string {
  return { IOS: 'iOS', MAC_OS: 'macOS', TV_OS: 'tvOS', VISION_OS: 'visionOS' }[platform] ?? platform
}

function code(text: string): string {
  return `<code>${escape(text)}</code>`
}

function escape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}
