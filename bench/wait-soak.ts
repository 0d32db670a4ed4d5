// A fault soak of waits: the bundled action waits for an upload that moves through its states on
// the sandbox's timeline while random 429s, 5xx and dropped connections hit every request. Each
// run ends with the uploaded build (right), another build (wrong: must never happen), or a
// failure. `tsx bench/wait-soak.ts` prints the figures; SOAK_RUNS and SOAK_CONCURRENCY set the
// size. The end-to-end suite runs a few of these (__tests__/e2e/wait-soak.e2e.test.ts).
import { runAction } from '../local-runner/run-action.js'
import { startSandboxWithNewKey } from '../local-runner/sandbox-with-key.js'
import { Random } from '../sandbox/random.js'

export interface SoakRun {
  seed: number
  /** Waited with build-number, or for the newest upload in flight. */
  byNumber: boolean
  outcome: 'right' | 'wrong' | 'failed' | 'timed out'
  /** The action's error, for failures. */
  error?: string
  requests: number
  faulted: number
  waitedSeconds: number
  wallMs: number
}

const WIDGET = 'com.example.weather.widget'

/** One wait against its own sandbox, faults drawn from `seed`. */
export async function soakOnce(seed: number, faultChance = 0.25): Promise<SoakRun> {
  const random = new Random(seed)
  const { sandbox, inputs } = await startSandboxWithNewKey({ seed, rateLimitPerHour: 100_000 })
  try {
    const widget = sandbox.catalogue.apps.find(app => app.bundleId === WIDGET)!
    const byNumber = random.chance(0.5)
    const buildNumber = String(1000 + random.int(0, 8999))
    // An upload that appears at once, receives its file, becomes a build, then VALID, each
    // step half a second to two and a half seconds after the last.
    let at = 0
    const next = (): number => (at += 0.5 + random.float() * 2)
    const handle = sandbox.scheduleUpload({
      bundleId: WIDGET,
      version: '2.4.0',
      buildNumber,
      steps: [
        { at: 0 },
        { at: next(), upload: 'PROCESSING' },
        { at: next(), build: 'PROCESSING' },
        { at: next(), build: 'VALID' }
      ]
    })
    // Every request: a 429 (asking for a second), a 500, a 503, or a dropped connection.
    const share = faultChance / 4
    sandbox.injectFault({ fault: { kind: 'status', status: 429, retryAfter: 1 }, chance: share })
    sandbox.injectFault({ fault: { kind: 'status', status: 500 }, chance: share / (1 - share) })
    sandbox.injectFault({
      fault: { kind: 'status', status: 503 },
      chance: share / (1 - 2 * share)
    })
    sandbox.injectFault({ fault: { kind: 'reset' }, chance: share / (1 - 3 * share) })
    // With a build number, the upload's life starts once the action waits, however slowly it
    // started; without, the upload exists (AWAITING_UPLOAD) when the action starts.
    if (!byNumber) {
      sandbox.startTimeline()
      while (sandbox.timeline.events.length === 0) await new Promise(r => setTimeout(r, 5))
    }
    const started = performance.now()
    const result = await runAction(
      {
        ...inputs,
        'app-id': widget.id,
        ...(byNumber ? { 'build-number': buildNumber } : {}),
        'wait-minutes': '2',
        'wait-interval-seconds': '1'
      },
      {
        timeoutMs: 180_000,
        onStdout: text => {
          if (text.includes('Waiting up to')) sandbox.startTimeline()
        }
      }
    )
    const found = result.outputs['found'] === 'true'
    const outcome = found
      ? result.outputs['build-id'] === handle.buildId
        ? 'right'
        : 'wrong'
      : /^Waited /.test(result.errors[0] ?? '')
        ? 'timed out'
        : 'failed'
    return {
      seed,
      byNumber,
      outcome,
      ...(outcome === 'right' ? {} : { error: result.errors.join(' ') || result.stderr }),
      requests: sandbox.requests.length,
      faulted: sandbox.requests.filter(request => request.fault).length,
      waitedSeconds: Number(result.outputs['waited-seconds'] ?? 0),
      wallMs: performance.now() - started
    }
  } finally {
    await sandbox.close()
  }
}

/** Runs `count` soaks, `concurrency` at a time, seeds from `firstSeed` on. */
export async function soak(count: number, concurrency: number, firstSeed = 1): Promise<SoakRun[]> {
  const runs: SoakRun[] = []
  let nextSeed = firstSeed
  const worker = async (): Promise<void> => {
    while (nextSeed < firstSeed + count) runs.push(await soakOnce(nextSeed++))
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return runs.sort((a, b) => a.seed - b.seed)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.env.SOAK_RUNS ?? 40)
  const concurrency = Number(process.env.SOAK_CONCURRENCY ?? 4)
  const started = performance.now()
  const runs = await soak(count, concurrency)
  const total = (pick: (run: SoakRun) => number): number =>
    runs.reduce((sum, run) => sum + pick(run), 0)
  const of = (outcome: SoakRun['outcome']): number =>
    runs.filter(run => run.outcome === outcome).length
  const requests = total(run => run.requests)
  const faulted = total(run => run.faulted)
  console.log(`Fault soak of waits: ${count} runs, ${concurrency} at a time`)
  console.log(`  right build      ${of('right')}`)
  console.log(`  wrong build      ${of('wrong')}`)
  console.log(`  failed           ${of('failed')}`)
  console.log(`  timed out        ${of('timed out')}`)
  console.log(
    `  requests         ${requests} (${faulted} faulted, ${((100 * faulted) / requests).toFixed(1)}%)`
  )
  console.log(`  requests a run   ${(requests / count).toFixed(1)} on average`)
  console.log(
    `  waited-seconds   ${(total(run => run.waitedSeconds) / count).toFixed(1)} on average`
  )
  console.log(`  wall time        ${((performance.now() - started) / 1000).toFixed(1)} s`)
  for (const run of runs.filter(run => run.outcome !== 'right')) {
    console.log(
      `  seed ${run.seed} (${run.byNumber ? 'build-number' : 'newest upload'}): ${run.outcome}: ${run.error}`
    )
  }
  process.exit(of('wrong') === 0 ? 0 : 1)
}
