// The chosen build as a compact HTML report, for the job summary and the pull-request comment.
import { summary } from '@actions/core'
import type { RateLimit } from '../apple/asc-client.js'
import type { Outputs } from './outputs.js'

export interface ReportContext {
  /** "app 1600000001 (com.example.weather)" */
  appLabel: string
  /** "most recently uploaded" */
  rule: string
  /** "processing state VALID, not expired, platform IOS" */
  filters: string
  rateLimit: RateLimit | undefined
  /** Set when the step fails after the search: why, in one sentence. */
  failure?: string
}

const TESTFLIGHT_PLATFORM: Record<string, string> = {
  IOS: 'ios',
  MAC_OS: 'macos',
  TV_OS: 'tvos',
  VISION_OS: 'visionos'
}

/** The report as HTML, built with core.summary's builder (whose buffer is left empty). */
export function composeReport(outputs: Outputs, context: ReportContext): string {
  summary.emptyBuffer()
  if (outputs.found !== 'true') {
    summary
      .addHeading('No App Store Connect build found', 3)
      .addRaw(
        `<p>Searched for the ${escape(context.rule)} build of ${escape(context.appLabel)} with ${escape(context.filters)}.</p>`,
        true
      )
  } else {
    const version = outputs['app-version'] ? ` (${outputs['app-version']})` : ''
    const platform = outputs.platform ? ` for ${platformName(outputs.platform)}` : ''
    // Names and values, without a header row: core.summary leaves an empty cell unclosed.
    summary.addHeading(escape(`Build ${outputs.version}${version}${platform}`), 3).addTable([
      ['Build number', code(outputs.version)],
      ['Marketing version', code(outputs['app-version'])],
      ['Platform', text(platformName(outputs.platform))],
      ['State', text(outputs['processing-state'])],
      ['Uploaded', text(outputs['uploaded-date'])],
      [
        'Expires',
        `${text(outputs['expiration-date'])} ${escape(daysLeft(outputs['expires-in-days']))}`
      ],
      ['Min OS', text(outputs['min-os-version'])],
      ['Audience', text(outputs['build-audience-type'])],
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
  if (context.failure)
    summary.addRaw(`<p><strong>The step failed:</strong> ${escape(context.failure)}</p>`, true)
  if (context.rateLimit) {
    const { remaining, limit } = context.rateLimit
    summary.addRaw(
      `<p><sub>API requests left this hour for this key: ${remaining} of ${limit}.</sub></p>`,
      true
    )
  }
  const html = summary.stringify()
  summary.emptyBuffer()
  return html
}

/** "(12 days left)", "(expired 3 days ago)", or "(no expiration date)". */
function daysLeft(days: string): string {
  if (days === '') return '(no expiration date)'
  const count = Number(days)
  const plural = (n: number): string => (n === 1 ? '1 day' : `${n} days`)
  return count < 0 ? `(expired ${plural(-count)} ago)` : `(${plural(count)} left)`
}

function buildLink(outputs: Outputs): string {
  const platform = TESTFLIGHT_PLATFORM[outputs.platform] ?? 'ios'
  const href = `https://appstoreconnect.apple.com/apps/${encodeURIComponent(outputs['app-id'])}/testflight/${platform}/${encodeURIComponent(outputs['build-id'])}`
  return `<a href="${escape(href)}">${escape(outputs['build-id'])}</a>`
}

function platformName(platform: string): string {
  return { IOS: 'iOS', MAC_OS: 'macOS', TV_OS: 'tvOS', VISION_OS: 'visionOS' }[platform] ?? platform
}

/** A cell's text, with a dash for a missing value (an empty cell would be left unclosed). */
function text(value: string): string {
  return value ? escape(value) : '–'
}

function code(value: string): string {
  return value ? `<code>${escape(value)}</code>` : '–'
}

function escape(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}
