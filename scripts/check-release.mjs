// Run by the release workflow on a published release: the tag must be a full version vX.Y.Z,
// package.json's version must be X.Y.Z, and CHANGELOG.md must have a section for it (as
// RELEASING.md says). Usage: node scripts/check-release.mjs v1.2.3
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
  if (version !== number) {
    problems.push(`package.json says version ${version}: set it to ${number} for ${tag}.`)
  }
  const heading = new RegExp(`^## \\[?v?${number.replace(/\./g, '\\.')}\\]?(?=[\\s(]|$)`, 'm')
  if (!heading.test(changelog)) {
    problems.push(
      `CHANGELOG.md has no "## ${number}" section: move the Unreleased entries under it.`
    )
  }
  return problems
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
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
