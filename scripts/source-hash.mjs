// The fingerprint of what the bundle is built from: every file under src/, the lockfile and
// the TypeScript settings. The build writes it beside the bundle; whoever runs dist/ can then
// tell in milliseconds whether it was built from the sources as they are now.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

export const SOURCE_HASH_FILE = 'source-hash.txt'

/** sha256 over the bundle's inputs (paths and contents), under `root`. */
export function sourceHash(root) {
  const files = [
    ...filesUnder(join(root, 'src')),
    join(root, 'package-lock.json'),
    join(root, 'tsconfig.json')
  ]
  const hash = createHash('sha256')
  for (const file of files) {
    hash.update(relative(root, file).split('\\').join('/')).update('\0')
    hash.update(readFileSync(file)).update('\0')
  }
  return hash.digest('hex')
}

function filesUnder(folder) {
  return readdirSync(folder, { recursive: true })
    .map(name => join(folder, String(name)))
    .filter(file => statSync(file).isFile())
    .sort()
}
