import { describe, expect, it, jest } from '@jest/globals'
import { readBuildsPage } from '../src/apple/shapes.js'
import { readBuilds } from '../src/choose/builds-query.js'
import { captureStdout } from './support/stdout.js'

describe('readBuilds', () => {
  it('reads a build without relationships, number or date as having none', () => {
    const [bare, betaOnly] = readBuilds(
      readBuildsPage({
        data: [
          { type: 'builds', id: 'bare' },
          {
            type: 'builds',
            id: 'beta-only',
            attributes: { version: '7' },
            relationships: { buildBetaDetail: { data: { type: 'buildBetaDetails', id: 'd' } } }
          }
        ],
        included: [
          {
            type: 'buildBetaDetails',
            id: 'd',
            attributes: { internalBuildState: 'IN_BETA_TESTING' }
          }
        ]
      })
    )
    expect(bare).toMatchObject({
      id: 'bare',
      buildNumber: '',
      uploadedDate: '',
      appVersion: undefined,
      preReleaseVersion: undefined,
      betaDetail: undefined
    })
    expect(betaOnly).toMatchObject({
      buildNumber: '7',
      preReleaseVersion: undefined,
      betaDetail: { internalBuildState: 'IN_BETA_TESTING' }
    })
  })
})

describe('readBuilds: a TestFlight detail by its links only', () => {
  /** Build `a` names detail `d`; each included detail as the case gives it. */
  function betaOf(details: Array<Record<string, unknown>>, named: string | undefined = 'd') {
    const build = (id: string, detail?: string) => ({
      type: 'builds',
      id,
      attributes: { version: id === 'a' ? '631' : '630' },
      relationships: detail
        ? { buildBetaDetail: { data: { type: 'buildBetaDetails', id: detail } } }
        : {}
    })
    return readBuilds(
      readBuildsPage({
        data: [build('a', named), build('b', 'other')],
        included: details.map(detail => ({ type: 'buildBetaDetails', ...detail }))
      })
    ).map(found => found.betaDetail)
  }
  const ready = { internalBuildState: 'READY_FOR_BETA_TESTING' }
  const missing = { internalBuildState: 'MISSING_EXPORT_COMPLIANCE' }
  const ownBuild = (id: string) => ({ build: { data: { type: 'builds', id } } })

  it('the detail the build names, whatever else is included', () => {
    expect(
      betaOf([
        { id: 'x', attributes: missing },
        { id: 'd', attributes: ready }
      ])
    ).toEqual([ready, undefined])
  })

  it('not a detail the build names whose own link names another build: it is that build’s', () => {
    const linkedToB = { id: 'd', attributes: ready, relationships: ownBuild('b') }
    expect(betaOf([linkedToB])).toEqual([undefined, ready])
  })

  it('a detail whose own link names the build, though the build names none', () => {
    expect(
      betaOf([{ id: 'y', attributes: ready, relationships: ownBuild('a') }], undefined)
    ).toEqual([ready, undefined])
  })

  it('duplicates that agree are one detail; that disagree are a conflict, warned about once', () => {
    expect(
      betaOf([
        { id: 'd', attributes: ready },
        { id: 'd', attributes: ready }
      ])[0]
    ).toEqual(ready)
    const written = captureStdout()
    const conflicting = [
      { id: 'd', attributes: missing },
      { id: 'd', attributes: ready }
    ]
    expect(betaOf(conflicting)[0]).toEqual({ conflicting: true })
    expect(betaOf([...conflicting].reverse())[0]).toEqual({ conflicting: true })
    expect(written.filter(line => line.startsWith('::warning::'))).toEqual([
      '::warning::App Store Connect sent 2 TestFlight details for build 631 (a) that disagree ' +
        '(internal MISSING_EXPORT_COMPLIANCE, external none; internal READY_FOR_BETA_TESTING, external none): ' +
        'it counts as not ready in TestFlight until they agree.\n'
    ])
    jest.restoreAllMocks()
  })
})
