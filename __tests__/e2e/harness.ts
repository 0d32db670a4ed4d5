// Shared set-up of the end-to-end suites: a sandbox on loopback that knows a team key and
// an individual key, and the bundled action run against it as the runner runs it.
import { randomUUID } from 'node:crypto'
import { runAction, type ActionRun, type RunActionOptions } from '../../local-runner/run-action.js'
import {
  startSandbox,
  type Sandbox,
  type SandboxApp,
  type SandboxOptions
} from '../../sandbox/index.js'
import { makeTestKey, type TestKey } from '../support/keys.js'

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
