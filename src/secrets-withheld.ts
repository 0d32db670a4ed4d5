// GitHub gives no repository secrets to pull requests from forks or from Dependabot: empty
// credentials there are not a typo, and the fix is to skip the step.
import { readFileSync } from 'node:fs'

/**
 * Why this run got no secrets ("from a fork", "from Dependabot"), or undefined when it
 * should have them. Reads the runner's environment and event payload.
 */
export function secretsWithheldReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!/^pull_request/.test(env.GITHUB_EVENT_NAME ?? '')) return undefined
  if (env.GITHUB_ACTOR === 'dependabot[bot]') return 'from Dependabot'
  const pullRequest = eventPayload(env.GITHUB_EVENT_PATH)?.pull_request
  const head = pullRequest?.head?.repo?.full_name
  const base = pullRequest?.base?.repo?.full_name
  return head && base && head !== base ? 'from a fork' : undefined
}

interface PullRequestPayload {
  pull_request?: {
    head?: { repo?: { full_name?: string } }
    base?: { repo?: { full_name?: string } }
  }
}

function eventPayload(path: string | undefined): PullRequestPayload | undefined {
  if (!path) return undefined
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as PullRequestPayload
  } catch {
    return undefined
  }
}
