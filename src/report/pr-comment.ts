// The report as a pull-request comment, kept to one comment per app and filters: found by a
// hidden marker and updated in place on the next run. @actions/github (over 1 MB) is loaded
// only here, only when a comment is really posted.
import { createHash } from 'node:crypto'
import { errorMessage } from '../errors.js'
import { log } from '../log.js'

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target'])

/** A marker unique to what was asked, so that a matrix over platforms keeps one comment each. */
export function commentMarker(key: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 16)
  return `<!-- app-store-connect-latest-build:${digest} -->`
}

/**
 * Creates or updates the comment. Never fails the step: the build answer stands whatever
 * happens to the comment, so problems are warnings that say how to fix them.
 */
export async function postPullRequestComment(
  body: string,
  marker: string,
  token: string
): Promise<void> {
  const eventName = process.env.GITHUB_EVENT_NAME ?? ''
  if (!PULL_REQUEST_EVENTS.has(eventName)) {
    log.info(
      `pr-comment: skipped, the workflow runs on ${eventName || 'an unknown event'}, not on a pull request.`
    )
    return
  }
  if (!token) {
    log.warning(
      'pr-comment: no github-token, so no comment was posted. Pass github-token: ${{ github.token }}.'
    )
    return
  }
  try {
    const { context, getOctokit } = await import('@actions/github')
    const number = context.payload.pull_request?.number
    if (!number) {
      log.warning('pr-comment: the event has no pull request number, so no comment was posted.')
      return
    }
    const octokit = getOctokit(token)
    const { owner, repo } = context.repo
    const text = `${marker}\n${body}`
    const comments = await octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: number,
      per_page: 100
    })
    const existing = comments.find(comment => comment.body?.includes(marker))
    if (existing) {
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body: text })
      log.info(`pr-comment: updated comment ${existing.id} on pull request #${number}.`)
    } else {
      const { data } = await octokit.rest.issues.createComment({
        owner,
        repo,
        issue_number: number,
        body: text
      })
      log.info(`pr-comment: posted comment ${data.id} on pull request #${number}.`)
    }
  } catch (error) {
    const status = (error as { status?: number }).status
    const fix =
      status === 403 || status === 401 || status === 404
        ? ' Give the job `permissions: pull-requests: write`; pull requests from forks (and Dependabot) get a read-only token, so use pull_request_target or skip the comment there.'
        : ''
    log.warning(`pr-comment: the comment could not be posted: ${errorMessage(error)}.${fix}`)
  }
}
