// Every input and output of action.yml must be in CHANGELOG.md, written as code (`name`):
// a user reading the changelog learns of each one, and an input added without an entry fails
// `npm test`. Usage: node scripts/check-changelog.mjs   (exits 1 and names what is missing)
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { parse } from 'yaml'

/** What action.yml declares that CHANGELOG.md never names, one line each. */
export function changelogProblems(actionYml, changelog) {
  const metadata = parse(actionYml) ?? {}
  const named = new Set([...changelog.matchAll(/`([^`\n]+)`/g)].map(match => match[1].trim()))
  const missing = (kind, names) =>
    names
      .filter(name => !named.has(name))
      .map(
        name =>
          `The ${kind} "${name}" of action.yml is not in CHANGELOG.md: add an entry that names it as \`${name}\`.`
      )
  return [
    ...missing('input', Object.keys(metadata.inputs ?? {})),
    ...missing('output', Object.keys(metadata.outputs ?? {}))
  ]
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const problems = changelogProblems(
    readFileSync('action.yml', 'utf8'),
    readFileSync('CHANGELOG.md', 'utf8')
  )
  for (const problem of problems) console.error(problem)
  if (problems.length > 0) process.exit(1)
}
