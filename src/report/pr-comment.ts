// The report as a pull-request comment, kept to one comment per app and filters: found by a
// hidden marker and updated in place on the next run. Only a comment written by the token's
// own identity counts: anyone can paste the marker into a comment of theirs. @actions/github
// (over 1 MB) is loaded only here, only when a comment is really posted.
import { createHash } from 'node:crypto'
import type { Deadline } from '../deadline.js'
import { errorMessage } from '../errors.js'
import { log } from '../log.js'

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target'])
/** Comments read looking for ours: 50 pages of 100, whatever the Link headers say. */
export const MAX_COMMENT_PAGES = 50
const COMMENTS_PER_PAGE = 100
/** Who writes with the default GITHUB_TOKEN (an installation token, which GET /user refuses). */
export const GITHUB_ACTIONS_LOGIN = 'github-actions[bot]'

export interface CommentOptions {
  /** Each request to GitHub's API is given up after this long. */
  timeoutMs: number
  /** Aborts every request when the job is cancelled. */
  signal?: AbortSignal
  /** The run's deadline: every request ends at it. */
  deadline?: Deadline
}

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
  token: string,
  options: CommentOptions
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
  // Set when one of our own time limits ended a request: the error's shape cannot say so
  // reliably (octokit reads an error from another realm as "Unknown Error").
  let timedOut = false
  try {
    const { context, getOctokit } = await import('@actions/github')
    const number = context.payload.pull_request?.number
    if (!number) {
      log.warning('pr-comment: the event has no pull request number, so no comment was posted.')
      return
    }
    const octokit = getOctokit(token)
    // Every request, each page included, is given up after timeout-seconds, at the run's
    // deadline, or when the job is cancelled. The options are changed in place: the token hook
    // further in reads the object it was given, not ours.
    const stops = [options.signal, options.deadline?.signal].filter(
      (signal): signal is AbortSignal => signal !== undefined
    )
    octokit.hook.wrap('request', async (request, requestOptions) => {
      // The action passes octokit no signal of its own: this one is the only one.
      const timeout = AbortSignal.timeout(options.timeoutMs)
      requestOptions.request = {
        ...requestOptions.request,
        signal: AbortSignal.any([timeout, ...stops])
      }
      try {
        return await request(requestOptions)
      } catch (error) {
        timedOut ||= timeout.aborted
        throw error
      }
    })
    const { owner, repo } = context.repo
    const text = `${marker}\n${body}`

    const marked: Array<{ id: number; login: string | undefined }> = []
    let pages = 0
    for await (const { data } of octokit.paginate.iterator(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: number,
      per_page: COMMENTS_PER_PAGE
    })) {
      for (const comment of data) {
        if (comment.body?.includes(marker))
          marked.push({ id: comment.id, login: comment.user?.login })
      }
      if (++pages >= MAX_COMMENT_PAGES) {
        log.info(
          `pr-comment: read the first ${MAX_COMMENT_PAGES * COMMENTS_PER_PAGE} comments of pull request #${number} only.`
        )
        break
      }
    }
    let existing: { id: number } | undefined
    if (marked.length > 0) {
      const login = await ownLogin(octokit)
      existing = marked.find(comment => comment.login === login)
      const planted = marked.filter(comment => comment.login !== login)
      if (planted.length > 0) {
        log.info(
          `pr-comment: ignored ${planted.length} comment(s) carrying this action's marker that ${login} did not write ` +
            `(${planted.map(comment => `${comment.id} by ${comment.login ?? 'unknown'}`).join(', ')}).`
        )
      }
    }
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
    if (options.signal?.aborted) {
      log.warning(
        'pr-comment: the job was cancelled while the comment was posted, so it may not be up to date.'
      )
      return
    }
    if (options.deadline?.passed) {
      log.warning(
        `pr-comment: the run reached its time limit, ${options.deadline.limit}, while the comment was posted, so it may not be up to date. ` +
          'Raise total-timeout-minutes to leave the comment time.'
      )
      return
    }
    const fix = timedOut
      ? ` GitHub's API did not answer within ${options.timeoutMs / 1000} s (timeout-seconds).`
      : status === 403 || status === 401 || status === 404
        ? ' Give the job `permissions: pull-requests: write`; pull requests from forks (and Dependabot) get a read-only token, so use pull_request_target or skip the comment there.'
        : ''
    log.warning(`pr-comment: the comment could not be posted: ${errorMessage(error)}.${fix}`)
  }
}

type Octokit = ReturnType<(typeof import('@actions/github'))['getOctokit']>

/**
 * The login the token writes as: the user `GET /user` names for a personal or OAuth token;
 * `github-actions[bot]` for the default GITHUB_TOKEN, an installation token that endpoint
 * refuses.
 */
async function ownLogin(octokit: Octokit): Promise<string> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated()
    return data.login
  } catch (error) {
    const status = (error as { status?: number }).status
    if (status === 401 || status === 403 || status === 404) return GITHUB_ACTIONS_LOGIN
    throw error
  }
}
