// The chosen build as a compact HTML report, for the job summary and the pull-request comment.
import { PLATFORM_NAMES, type Platform } from '../apple/apple-types.js'
import type { RateLimit } from '../apple/asc-client.js'
import type { Outputs } from './outputs.js'
import { escapeHtmlAttribute, escapeHtml } from './sanitize.js'

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
  /** How long the action waited for the build, e.g. "2 min 10 s"; unset without a wait. */
  waited?: string
}

/**
 * The report as one HTML string: a heading, a table of the build, and a few sentences. Every
 * value is escaped into one line (see sanitize.ts): no blank line ends GitHub's HTML block,
 * so no Markdown, link, image or mention from the API or the inputs can render.
 */
export function composeReport(outputs: Outputs, context: ReportContext): string {
  const searched = `${escapeHtml(context.rule)} build of ${escapeHtml(context.appLabel)} with ${escapeHtml(context.filters)}`
  const parts: string[] = []
  if (outputs.found !== 'true') {
    parts.push(
      heading('No App Store Connect build found'),
      paragraph(`Searched for the ${searched}.`)
    )
  } else {
    const version = outputs['app-version'] ? ` (${outputs['app-version']})` : ''
    const platform = outputs.platform ? ` for ${platformName(outputs.platform)}` : ''
    parts.push(
      heading(escapeHtml(`Build ${outputs['build-number']}${version}${platform}`)),
      table([
        ['Build number', cellCode(outputs['build-number'])],
        ['Marketing version', cellCode(outputs['app-version'])],
        ['Platform', cellText(platformName(outputs.platform))],
        ['State', cellText(outputs['processing-state'])],
        ['Uploaded', cellText(outputs['uploaded-date'])],
        [
          'Expires',
          `${cellText(outputs['expiration-date'])} ${escapeHtml(daysLeft(outputs['expires-in-days']))}`
        ],
        ['Min OS', cellText(outputs['min-os-version'])],
        ['Audience', cellText(outputs['build-audience-type'])],
        ['TestFlight', testFlightStates(outputs)],
        ['App Store', appStoreStanding(outputs)],
        [
          'Icon',
          outputs['icon-url']
            ? `<img src="${escapeHtmlAttribute(outputs['icon-url'])}" alt="App icon" width="48" height="48">`
            : '–'
        ],
        ['App Store Connect', testFlightLink(outputs)]
      ]),
      paragraph(`The ${searched}.`)
    )
    if (context.waited) {
      parts.push(paragraph(`It became ready after a wait of ${escapeHtml(context.waited)}.`))
    }
  }
  if (context.failure) {
    parts.push(paragraph(`<strong>The step failed:</strong> ${escapeHtml(context.failure)}`))
  }
  if (context.rateLimit) {
    const { remaining, limit } = context.rateLimit
    parts.push(
      paragraph(`<sub>API requests left this hour for this key: ${remaining} of ${limit}.</sub>`)
    )
  }
  return parts.join('\n') + '\n'
}

function heading(html: string): string {
  return `<h3>${html}</h3>`
}

function paragraph(html: string): string {
  return `<p>${html}</p>`
}

/** Names and values, one row each, without a header row. */
function table(rows: Array<[string, string]>): string {
  const body = rows.map(([name, value]) => `<tr><td>${escapeHtml(name)}</td><td>${value}</td></tr>`)
  return `<table>${body.join('')}</table>`
}

/** "(12 days left)", "(expired 3 days ago)", or "(no expiration date)". */
function daysLeft(days: string): string {
  if (days === '') return '(no expiration date)'
  const count = Number(days)
  const plural = (n: number): string => (n === 1 ? '1 day' : `${n} days`)
  return count < 0 ? `(expired ${plural(-count)} ago)` : `(${plural(count)} left)`
}

/** The build's TestFlight page in App Store Connect. */
function testFlightLink(outputs: Outputs): string {
  const slug = PLATFORM_NAMES[outputs.platform as Platform]?.slug ?? 'ios'
  const href = `https://appstoreconnect.apple.com/apps/${encodeURIComponent(outputs['app-id'])}/testflight/${slug}/${encodeURIComponent(outputs['build-id'])}`
  return `<a href="${escapeHtmlAttribute(href)}">${escapeHtml(outputs['build-id'])}</a>`
}

/** "internal READY_FOR_BETA_TESTING, external BETA_APPROVED", or a dash without either. */
function testFlightStates(outputs: Outputs): string {
  const states = [
    outputs['internal-build-state'] && `internal ${outputs['internal-build-state']}`,
    outputs['external-build-state'] && `external ${outputs['external-build-state']}`
  ].filter(Boolean)
  return cellText(states.join(', '))
}

/** "version 3.2, READY_FOR_DISTRIBUTION", or that the build is attached to no version. */
function appStoreStanding(outputs: Outputs): string {
  if (!outputs['app-store-version'] && !outputs['app-store-state']) {
    return escapeHtml('in no App Store version')
  }
  return `version ${cellCode(outputs['app-store-version'])}, ${cellText(outputs['app-store-state'])}`
}

function platformName(platform: string): string {
  return PLATFORM_NAMES[platform as Platform]?.name ?? platform
}

/** A cell's text, escaped, with a dash for a missing value. */
function cellText(value: string): string {
  return value ? escapeHtml(value) : '–'
}

/** A cell's value as code, escaped, with a dash for a missing value. */
function cellCode(value: string): string {
  return value ? `<code>${escapeHtml(value)}</code>` : '–'
}
