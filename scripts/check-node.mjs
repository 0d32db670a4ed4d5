// Everything that runs code must run on the runtime GitHub gives node24 actions. `npm start`,
// `npm test` and `npm run bench` call this first, so that a missing piece is named with the
// one command that fixes it, instead of a crash deep inside the bundle. Written for any Node
// that can load an ES module: it may be running on the machine's own, older Node.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/** What stands between this checkout and running on Node 24, with the command that fixes it. */
export function nodeProblem(version, root) {
  if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
    return { problem: 'The dependencies are not installed.', fix: 'npm ci' }
  }
  if (Number(version.split('.')[0]) === 24) return null
  if (!existsSync(join(root, 'node_modules', 'node', 'bin'))) {
    return {
      problem:
        `Node ${version} is running this, but the action runs on Node 24, and the project's own ` +
        'Node 24 (the "node" devDependency) is not installed: its install script did not run, ' +
        'as with npm ci --ignore-scripts.',
      fix: 'npm rebuild node'
    }
  }
  return {
    problem:
      `Node ${version} is running this, but the action runs on Node 24. npm scripts run on the ` +
      "project's own Node 24 (node_modules/.bin comes first on their PATH); a file started " +
      "with node directly runs on the machine's Node.",
    fix: 'npm start, npm test or npm run <script>, rather than node <file>'
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..')
  const found = nodeProblem(process.versions.node, root)
  if (found) {
    console.error(`${found.problem}\n\nTo fix it, run: ${found.fix}`)
    process.exit(1)
  }
  console.log(`node ${process.versions.node}: ok`)
}
