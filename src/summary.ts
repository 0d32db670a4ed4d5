import { summary } from '@actions/core'
import type { Outputs } from './outputs.js'

export interface SummaryContext {
  appLabel: string
  rule: string
  filters: string
}

/** The chosen build, or what was searched for when there is none, in the job summary. */
export async function writeJobSummary(outputs: Outputs, context: SummaryContext): Promise<void> {
  summary.addHeading('App Store Connect build', 2)
  if (outputs.found !== 'true') {
    summary.addRaw(
      `No build of ${context.appLabel} matched: ${context.filters} (rule: ${context.rule}).`,
      true
    )
  } else {
    const days = outputs['expires-in-days']
    summary.addTable([
      [
        { data: 'Build number', header: true },
        { data: 'Version', header: true },
        { data: 'Platform', header: true },
        { data: 'State', header: true },
        { data: 'Expires', header: true },
        { data: 'Build id', header: true }
      ],
      [
        outputs.version,
        outputs['app-version'],
        outputs.platform,
        outputs['processing-state'],
        `${outputs['expiration-date']} (${days} days left)`,
        outputs['build-id']
      ]
    ])
    summary.addRaw(
      `Chosen as the ${context.rule} build of ${context.appLabel} with ${context.filters}.`,
      true
    )
  }
  await summary.write()
}
