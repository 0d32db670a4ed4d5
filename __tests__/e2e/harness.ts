// Shared set-up of the end-to-end suites: a sandbox on loopback that knows a team key and
// an individual key, and the bundled action run against it as the runner runs it.
import { expect } from '@jest/globals'
import { randomUUID } from 'node:crypto'
import { runAction, type ActionRun, type RunActionOptions } from '../../local-runner/run-action.js'
import {
  startSandbox,
  type Sandbox,
  type Catalogue,
  type LandmarkName,
  type SandboxApp,
  type SandboxAppStoreVersion,
  type SandboxBuild,
  type SandboxBuildUpload,
  type SandboxOptions
} from '../../sandbox/index.js'
import { makeTestKey, type TestKey } from '../support/keys.js'
import { expectedBuild, type Expected, type Question } from './oracle.js'

export interface E2eContext {
  sandbox: Sandbox
  teamKey: TestKey & { keyId: string; issuerId: string }
  individualKey: TestKey & { keyId: string }
  /** The app the catalogue's traps are laid around. */
  weather: SandboxApp
  /** Runs the bundle with the team key against the sandbox; `inputs` add to or override that. */
  run(inputs: Record<string, string>, options?: RunActionOptions): Promise<ActionRun>
}

export async function startE2e(options: Partial<SandboxOptions> = {}): Promise<E2eContext> {
  const teamKey = { ...makeTestKey(), keyId: 'TEAMKEY001', issuerId: randomUUID() }
  const individualKey = { ...makeTestKey(), keyId: 'USERKEY001' }
  const sandbox = await startSandbox({
    keys: [
      { keyId: teamKey.keyId, issuerId: teamKey.issuerId, publicKey: teamKey.publicKeyPem },
      { keyId: individualKey.keyId, publicKey: individualKey.publicKeyPem }
    ],
    ...options
  })
  const weather = sandbox.catalogue.apps.find(app => app.bundleId === 'com.example.weather')
  if (!weather) throw new Error('the catalogue has no com.example.weather')
  return {
    sandbox,
    teamKey,
    individualKey,
    weather,
    run: (inputs, runOptions) =>
      runAction(
        {
          'issuer-id': teamKey.issuerId,
          'key-id': teamKey.keyId,
          'private-key': teamKey.pem,
          'api-base-url': sandbox.url,
          ...inputs
        },
        runOptions
      )
  }
}

const DAY_MS = 86_400_000

/** The oracle's answer, or a failure: a case with no expected build would prove nothing. */
export function expectedAnswer(catalogue: Catalogue, question: Omit<Question, 'now'>): Expected {
  const answer = expectedBuild(catalogue, { ...question, now: new Date() })
  if (!answer)
    throw new Error(
      `the catalogue has no build for ${JSON.stringify(question)}: the case would prove nothing`
    )
  return answer
}

/** Every output of a found build, the TestFlight ones included, as the catalogue holds it. */
export function expectOutputsFor(result: ActionRun, answer: Expected): void {
  const { build, preReleaseVersion } = answer
  expect(result.errors).toEqual([])
  expect(result.exitCode).toBe(0)
  expect(result.outputs).toMatchObject({
    found: 'true',
    'build-id': build.id,
    'build-number': build.version,
    version: build.version,
    'expiration-date': build.expirationDate,
    'uploaded-date': build.uploadedDate,
    expired: String(build.expired || Date.parse(build.expirationDate) <= Date.now()),
    'processing-state': build.processingState,
    'app-version': preReleaseVersion.version,
    platform: preReleaseVersion.platform,
    'min-os-version': build.minOsVersion,
    'build-audience-type': build.buildAudienceType,
    'internal-build-state': build.betaDetail.internalBuildState,
    'external-build-state': build.betaDetail.externalBuildState,
    'uses-non-exempt-encryption':
      build.usesNonExemptEncryption === null ? '' : String(build.usesNonExemptEncryption),
    'app-id': build.appId
  })
  const days = Math.floor((Date.parse(build.expirationDate) - Date.now()) / DAY_MS)
  expect(Math.abs(Number(result.outputs['expires-in-days']) - days)).toBeLessThanOrEqual(1)
  const icon = build.iconAssetToken
  expect(result.outputs['icon-url']).toBe(
    icon
      ? icon.templateUrl
          .replace('{w}', `${icon.width}`)
          .replace('{h}', `${icon.height}`)
          .replace('{f}', 'png')
      : ''
  )
  const json = JSON.parse(result.outputs['build-json']!) as {
    id: string
    attributes: { version: string }
  }
  expect(json.id).toBe(build.id)
  expect(json.attributes.version).toBe(build.version)
}

/** The catalogue's planted cases by name; each throws when the catalogue lacks one. */
export function plantedIn(catalogue: Catalogue) {
  const landmark = (name: LandmarkName): string => {
    const id = catalogue.landmarks[name]
    if (!id) throw new Error(`the catalogue has no landmark ${name}`)
    return id
  }
  const find = <T extends { id: string }>(list: T[] | undefined, name: LandmarkName): T => {
    const id = landmark(name)
    const found = list?.find(item => item.id === id)
    if (!found) throw new Error(`the landmark ${name} (${id}) is not where it was looked for`)
    return found
  }
  return {
    landmark,
    app: (bundleId: string): SandboxApp => {
      const found = catalogue.apps.find(candidate => candidate.bundleId === bundleId)
      if (!found) throw new Error(`the catalogue has no ${bundleId}`)
      return found
    },
    build: (name: LandmarkName): SandboxBuild => find(catalogue.builds, name),
    upload: (name: LandmarkName): SandboxBuildUpload => find(catalogue.buildUploads, name),
    appStoreVersion: (name: LandmarkName): SandboxAppStoreVersion =>
      find(catalogue.appStoreVersions, name)
  }
}
