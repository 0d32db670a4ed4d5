// Bundles an entry into one ES module with ncc, as the runner loads it, and writes the
// licenses of every package in the bundle beside it (ncc's own --license misses ES-module
// packages), and the fingerprint of the sources it was built from. ncc compiles with the tsconfig.json nearest the entry (src/tsconfig.json for the
// action), so the bundle depends on src/ alone, never on the tests.
// Usage: node scripts/build.mjs [entry] [outDir]
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { SOURCE_HASH_FILE, sourceHash } from './source-hash.mjs'

export function buildBundle(outDir, { entry = 'src/index.ts', quiet = false } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'ncc-stats-'))
  try {
    const stats = join(work, 'stats.json')
    const args = ['ncc', 'build', entry, '-o', outDir, '--stats-out', stats]
    execFileSync('npx', quiet ? [...args, '--quiet'] : args, { stdio: 'inherit' })
    writeFileSync(join(outDir, 'licenses.txt'), licenses(bundledPackages(stats)))
    writeFileSync(join(outDir, SOURCE_HASH_FILE), `${sourceHash('.')}\n`)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** Folders of the packages whose modules ended up in the bundle, from ncc's webpack stats. */
function bundledPackages(statsFile) {
  const folders = new Set()
  const visit = modules => {
    for (const module of modules ?? []) {
      const match = /^(?:\.\/)?((?:node_modules\/(?:@[^/]+\/)?[^/]+\/)+)/.exec(module.name ?? '')
      if (match) folders.add(match[1].replace(/\/$/, ''))
      visit(module.modules)
    }
  }
  visit(JSON.parse(readFileSync(statsFile, 'utf8')).modules)
  return [...folders]
}

function licenses(folders) {
  const entries = folders.map(folder => {
    const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'))
    const file = readdirSync(folder).find(name => /^(licen[cs]e|copying)(\.|$)/i.test(name))
    const text =
      file && existsSync(join(folder, file)) ? readFileSync(join(folder, file), 'utf8').trim() : ''
    return {
      id: `${manifest.name}@${manifest.version}`,
      license: manifest.license ?? 'UNKNOWN',
      text
    }
  })
  entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return entries.map(({ id, license, text }) => `${id}\n${license}\n${text}\n`).join('\n')
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [entry = 'src/index.ts', outDir = 'dist'] = process.argv.slice(2)
  buildBundle(outDir, { entry })
}
