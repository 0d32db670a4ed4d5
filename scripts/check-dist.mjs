// Fails when dist/ is not byte-for-byte what a rebuild of src/ gives, or when the bundle
// holds ncc's stub for a module it could not resolve.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildBundle } from './build.mjs'

const fresh = mkdtempSync(join(tmpdir(), 'dist-check-'))
try {
  buildBundle(fresh, { quiet: true })
  const problems = []
  const committed = new Set(filesUnder('dist'))
  const rebuilt = new Set(filesUnder(fresh))
  for (const file of new Set([...committed, ...rebuilt])) {
    if (!committed.has(file)) problems.push(`dist/${file} is missing`)
    else if (!rebuilt.has(file)) problems.push(`dist/${file} is not produced by the build any more`)
    else if (!readFileSync(join('dist', file)).equals(readFileSync(join(fresh, file)))) {
      problems.push(`dist/${file} differs from a fresh build`)
    }
  }
  for (const file of committed) {
    if (
      file.endsWith('.js') &&
      readFileSync(join('dist', file), 'utf8').includes('webpackMissingModule')
    ) {
      problems.push(
        `dist/${file} contains webpackMissingModule: an ESM-only package was not bundled`
      )
    }
  }
  if (problems.length > 0) {
    console.error(
      `dist/ is stale:\n- ${problems.join('\n- ')}\nRun npm run build and commit dist/.`
    )
    process.exit(1)
  }
  console.log('dist/ matches a fresh build')
} finally {
  rmSync(fresh, { recursive: true, force: true })
}

function filesUnder(folder) {
  return readdirSync(folder, { recursive: true })
    .map(String)
    .filter(file => statSync(join(folder, file)).isFile())
}
