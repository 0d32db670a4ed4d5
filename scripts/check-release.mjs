// Run by the release workflow on a pushed tag or a published release: the tag must be a full
// version vX.Y.Z from 1.0.0 on, package.json's version must be X.Y.Z, and CHANGELOG.md must
// have a section for it (as RELEASING.md says).
// Usage: node scripts/check-release.mjs v1.2.3          (exits 1 and says what is wrong)
//        node scripts/check-release.mjs --notes v1.2.3  (prints that CHANGELOG section)
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

/** What is wrong with releasing `tag` from this package.json version and changelog. */
export function releaseProblems(tag, { version, changelog }) {
  const match = /^v(\d+)\.(\d+)\.(\d+)$/.exec(tag)
  if (!match) {
    return [`The tag "${tag}" is not a full version vX.Y.Z (for example v1.2.3).`]
  }
  const number = tag.slice(1)
  const problems = []
  if (match[1] === '0') {
    problems.push(
      `${tag} is a 0.x version: the workflow would move a major tag v0 that no README line names. Release v1.0.0 or later.`
    )
  }
  if (version !== number) {
    problems.push(`package.json says version ${version}: set it to ${number} for ${tag}.`)
  }
  if (!headingOf(number).test(changelog)) {
    problems.push(
      `CHANGELOG.md has no "## ${number}" section: move the Unreleased entries under it.`
    )
  }
  return problems
}

/** `## [1.2.3] - date` or `## 1.2.3`, and not `## 1.2.30`. */
function headingOf(number) {
  return new RegExp(`^## \\[?v?${number.replace(/\./g, '\\.')}\\]?(?=[\\s(]|$)`, 'm')
}

/** The body of the CHANGELOG section of `tag`, for the notes of its GitHub release. */
export function releaseNotes(tag, changelog) {
  const lines = changelog.split('\n')
  const start = lines.findIndex(line => headingOf(tag.replace(/^v/, '')).test(line))
  if (start < 0) return ''
  const end = lines.findIndex((line, index) => index > start && /^## /.test(line))
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim()
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === '--notes') {
    console.log(releaseNotes(process.argv[3] ?? '', readFileSync('CHANGELOG.md', 'utf8')))
    process.exit(0)
  }
  const tag = process.argv[2] ?? ''
  const problems = releaseProblems(tag, {
    version: JSON.parse(readFileSync('package.json', 'utf8')).version,
    changelog: readFileSync('CHANGELOG.md', 'utf8')
  })
  if (problems.length > 0) {
    for (const problem of problems) console.error(`::error::${problem}`)
    process.exit(1)
  }
  console.log(`${tag}: package.json and CHANGELOG.md agree`)
}
