// Values Apple sends that the action cannot take as they are: of a form Apple's values never
// have (the build is left out, with a warning) or added by Apple later (kept, with a note).
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { readBuildsPage } from '../src/apple/shapes.js'
import { readBuilds } from '../src/choose/builds-query.js'
import { oddValuesOf, withoutUnreadable } from '../src/choose/odd-values.js'
import { buildsPage, type BuildSpec } from './support/documents.js'
import { captureStdout } from './support/stdout.js'

afterEach(() => {
  jest.restoreAllMocks()
})

let sequence = 0
/** One build read as the action reads it, with a fresh id. */
function read(spec: Partial<BuildSpec> = {}) {
  const id = `odd-${++sequence}`
  return readBuilds(
    readBuildsPage(
      buildsPage([{ id, version: '630', uploaded: '2026-11-20T10:00:00-08:00', ...spec }])
    )
  )[0]!
}

describe('oddValuesOf', () => {
  it('finds nothing odd in a build of Apple’s documented values, a four-part number included', () => {
    expect(
      oddValuesOf(read({ version: '2.0.67.745', beta: { internal: 'IN_BETA_TESTING' } }))
    ).toEqual({
      unreadable: [],
      unknown: []
    })
  })

  it('names each value of Apple’s form that it does not know', () => {
    const build = read({
      state: 'PROCESSING_DEFERRED',
      audience: 'ENTERPRISE_ONLY',
      preRelease: { id: 'p', version: '1.0', platform: 'WATCH_OS' },
      beta: { internal: 'READY_FOR_TESTING_EXPRESS', external: 'IN_BETA_REVIEW_EXPRESS' }
    })
    expect(oddValuesOf(build)).toEqual({
      unreadable: [],
      unknown: [
        'processingState PROCESSING_DEFERRED',
        'buildAudienceType ENTERPRISE_ONLY',
        'platform WATCH_OS',
        'internalBuildState READY_FOR_TESTING_EXPRESS',
        'externalBuildState IN_BETA_REVIEW_EXPRESS'
      ]
    })
  })

  it('quotes, at most 64 characters, each value not of Apple’s form', () => {
    const build = read({
      version: '631 ##[stop-commands]x',
      uploaded: 'yesterday',
      state: 'valid',
      preRelease: { id: 'p', version: '1.0\nx', platform: 'I'.repeat(70) },
      beta: { internal: '##[warning]y' }
    })
    expect(oddValuesOf(build).unreadable).toEqual([
      'version "631 ##[stop-commands]x"',
      'uploadedDate "yesterday"',
      'app version "1.0\\nx"',
      'processingState "valid"',
      `platform "${'I'.repeat(64)}…"`,
      'internalBuildState "##[warning]y"'
    ])
  })
})

describe('withoutUnreadable', () => {
  it('leaves out a build with an unreadable value, warning once; keeps one with an unknown value, noting once', () => {
    const written = captureStdout()
    const unreadable = read({ version: 'x1' })
    const unknown = read({ beta: { internal: 'READY_FOR_TESTING_EXPRESS' } })
    const good = read()
    for (let poll = 0; poll < 2; poll++) {
      expect(withoutUnreadable([unreadable, unknown, good])).toEqual({
        builds: [unknown, good],
        unknown: ['internalBuildState READY_FOR_TESTING_EXPRESS']
      })
    }
    expect(written).toEqual([
      `::warning::Left out build ${unreadable.id}: App Store Connect sent version "x1", not of the form Apple's values have.\n`,
      `Build 630 (${unknown.id}) has internalBuildState READY_FOR_TESTING_EXPRESS, which this action does not know ` +
        '(Apple adds values): it counts as neither ready nor in flight.\n'
    ])
  })
})
