// Bundles src/ into one ES module for the runner, with ncc. ncc compiles with
// src/tsconfig.json, so the bundle depends on src/ alone, never on the tests.
import { execFileSync } from 'node:child_process'
import { pathToFileURL } from 'node:url'

export function buildBundle(outDir, { quiet = false } = {}) {
  const args = ['ncc', 'build', 'src/index.ts', '-o', outDir, '--license', 'licenses.txt']
  execFileSync('npx', quiet ? [...args, '--quiet'] : args, { stdio: 'inherit' })
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) buildBundle('dist')
