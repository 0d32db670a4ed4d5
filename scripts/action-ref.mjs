// What the README's `uses:` lines say for this action: `owner/repo@vN` when package.json names
// the repository, else the placeholder `<owner>/<repo>@v1`, which the README defines once.
// Shared by the README generator and the workflow check, so that both agree.
import { readFileSync } from 'node:fs'

export const PLACEHOLDER = '<owner>/<repo>'

/** `owner/repo` from package.json's `repository` field, or null when it names none on GitHub. */
export function repositoryOf(manifest) {
  const field = manifest.repository
  const text = typeof field === 'string' ? field : (field?.url ?? '')
  const shorthand = /^(?:github:)?([\w.-]+)\/([\w.-]+)$/.exec(text)
  const url = /github\.com[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(text)
  const match = shorthand ?? url
  return match ? `${match[1]}/${match[2]}` : null
}

/** The major version users pin: v1 until a v2 (or later) is released. */
export function majorTagOf(manifest) {
  const major = Number(String(manifest.version ?? '').split('.')[0])
  return `v${Number.isInteger(major) && major > 1 ? major : 1}`
}

export function actionRef(manifest = JSON.parse(readFileSync('package.json', 'utf8'))) {
  return `${repositoryOf(manifest) ?? PLACEHOLDER}@${majorTagOf(manifest)}`
}

/** Whether a `uses:` value names this action: the placeholder, the repository, or `./`. */
export function isThisAction(uses, manifest = JSON.parse(readFileSync('package.json', 'utf8'))) {
  const name = String(uses).split('@')[0]
  return name === PLACEHOLDER || name === repositoryOf(manifest) || uses === './'
}
