// The end-to-end suites run dist/index.js: they must refuse a bundle built from other sources.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { assertBundleIsFresh, ROOT } from '../local-runner/run-action.js'
import { sourceHash } from '../scripts/source-hash.mjs'

let root: string
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'source-hash-'))
  mkdirSync(join(root, 'src', 'apple'), { recursive: true })
  mkdirSync(join(root, 'dist'))
  writeFileSync(join(root, 'src', 'main.ts'), 'export const a = 1\n')
  writeFileSync(join(root, 'src', 'apple', 'token.ts'), 'export const b = 2\n')
  writeFileSync(join(root, 'package-lock.json'), '{}\n')
  writeFileSync(join(root, 'tsconfig.json'), '{}\n')
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

describe('the bundle’s source fingerprint', () => {
  it('changes with any source file, the lockfile or the TypeScript settings', () => {
    const before = sourceHash(root)
    for (const file of ['src/apple/token.ts', 'package-lock.json', 'tsconfig.json']) {
      const original = readFileSync(join(root, file))
      writeFileSync(join(root, file), `${String(original)} `)
      expect(sourceHash(root)).not.toBe(before)
      writeFileSync(join(root, file), original)
    }
    expect(sourceHash(root)).toBe(before)
  })

  it('refuses a dist/ built from other sources, and accepts a fresh one', () => {
    writeFileSync(join(root, 'dist', 'source-hash.txt'), `${sourceHash(root)}\n`)
    expect(() => assertBundleIsFresh(root)).not.toThrow()
    writeFileSync(join(root, 'src', 'main.ts'), 'export const a = 2\n')
    expect(() => assertBundleIsFresh(root)).toThrow(
      'dist/ was not built from src/ as it is now, so running it would test other code: run npm run build first.'
    )
  })

  it('holds for this checkout: the committed dist/ is built from src/', () => {
    expect(() => assertBundleIsFresh(ROOT)).not.toThrow()
  })
})
