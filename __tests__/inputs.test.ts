import { describe, expect, it } from '@jest/globals'
import { APP_VERSION_STATES } from '../src/apple/apple-types.js'
import { InputError } from '../src/errors.js'
import { readSettings, type InputName } from '../src/inputs.js'
import { makeTestKey } from './support/keys.js'
import { ISSUER, settingsFor } from './support/settings.js'

const key = makeTestKey()
function problem(inputs: Partial<Record<InputName, string>>): string {
  try {
    settingsFor(inputs)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as Error).message
  }
  throw new Error('the inputs were accepted')
}

describe('readSettings', () => {
  it('applies the documented defaults to unset and empty inputs', () => {
    const settings = settingsFor({ platform: '', 'processing-state': '  ' })
    expect(settings).toMatchObject({
      issuerId: ISSUER,
      keyId: '2X9R4HXF34',
      app: { appId: '1600000001' },
      filters: { processingStates: ['VALID'], includeExpired: false },
      latestBy: 'uploaded-date',
      failIfNotFound: true,
      minDaysUntilExpiry: 0,
      jobSummary: true,
      apiBaseUrl: 'https://api.appstoreconnect.apple.com',
      timeoutMs: 30000,
      totalTimeoutMs: 600_000,
      maxAttempts: 4
    })
    expect(settings.filters.platform).toBe('IOS')
    expect(settings.filters.readyFor).toBe('any')
    expect(settings.nextBuildNumber).toBe(false)
    expect(settings.filters.appVersion).toBeUndefined()
    expect(settings.filters.buildNumber).toBeUndefined()
    expect(settings.filters.buildAudienceType).toBeUndefined()
  })

  it('reads every filter, case-insensitively for enums', () => {
    const settings = settingsFor({
      'app-id': '',
      'bundle-id': 'com.example.weather',
      platform: 'macos',
      'app-version': '2.4.0',
      'build-number': '1.4.7',
      'build-audience-type': 'app_store_eligible',
      'processing-state': 'valid, Processing,VALID',
      'include-expired': 'TRUE',
      'latest-by': 'Build-Number',
      'fail-if-not-found': 'False',
      'min-days-until-expiry': '7',
      'job-summary': 'false',
      'api-base-url': 'http://127.0.0.1:8080/',
      'timeout-seconds': '5'
    })
    expect(settings).toMatchObject({
      app: { bundleId: 'com.example.weather' },
      filters: {
        platform: 'MAC_OS',
        appVersion: '2.4.0',
        buildNumber: '1.4.7',
        buildAudienceType: 'APP_STORE_ELIGIBLE',
        processingStates: ['VALID', 'PROCESSING'],
        includeExpired: true
      },
      latestBy: 'build-number',
      failIfNotFound: false,
      minDaysUntilExpiry: 7,
      jobSummary: false,
      apiBaseUrl: 'http://127.0.0.1:8080',
      timeoutMs: 5000
    })
  })

  it.each([
    ['ios', 'IOS'],
    ['IOS', 'IOS'],
    ['MAC_OS', 'MAC_OS'],
    ['tvos', 'TV_OS'],
    ['tv_os', 'TV_OS'],
    ['visionOS', 'VISION_OS']
  ])('accepts platform %s as %s', (given, platform) => {
    expect(settingsFor({ platform: given }).filters.platform).toBe(platform)
  })

  it('treats an empty issuer-id as an individual key', () => {
    expect(settingsFor({ 'issuer-id': '' }).issuerId).toBeUndefined()
  })

  it('masks the key in every form before returning', () => {
    const masked: string[] = []
    settingsFor({ 'private-key': key.escaped }, masked)
    expect(masked[0]).toBe(key.escaped)
    expect(masked).toContain(key.bareBody)
  })

  it('masks the key as given even when it cannot be read', () => {
    const masked: string[] = []
    expect(() => settingsFor({ 'private-key': 'not-a-key-but-secret' }, masked)).toThrow(InputError)
    expect(masked).toEqual(['not-a-key-but-secret'])
  })

  it.each<[string, Partial<Record<InputName, string>>, RegExp]>([
    [
      'both app inputs',
      { 'bundle-id': 'com.example.weather' },
      /app-id and bundle-id are both set/
    ],
    ['neither app input', { 'app-id': '' }, /Neither app-id nor bundle-id is set/],
    [
      'a malformed app-id',
      { 'app-id': 'com.example.weather' },
      /app-id must be the numeric Apple ID/
    ],
    [
      'a malformed bundle-id',
      { 'app-id': '', 'bundle-id': 'com example' },
      /bundle-id must be a bundle identifier/
    ],
    [
      'an unknown platform',
      { platform: 'android' },
      /platform must be one of IOS, MAC_OS, TV_OS, VISION_OS.*"android"/
    ],
    [
      'an unknown processing state',
      { 'processing-state': 'VALID,DONE' },
      /processing-state must be one of .*"DONE"/
    ],
    [
      'an unknown audience',
      { 'build-audience-type': 'EXTERNAL' },
      /build-audience-type must be one of/
    ],
    [
      'a comma in app-version',
      { 'app-version': '1.0,2.0' },
      /app-version must be one version of one to three period-separated integers/
    ],
    [
      'a space in build-number',
      { 'build-number': '12 3' },
      /build-number must be one build number of period-separated integers, such as 512, 1.4.7 or 2.0.67.745/
    ],
    [
      'an initial build number that is not one',
      { 'initial-build-number': '500a' },
      /initial-build-number must be one build number of period-separated integers.*"500a"/
    ],
    [
      'a non-boolean',
      { 'include-expired': 'yes' },
      /include-expired must be true or false, not "yes"/
    ],
    [
      'an unknown rule',
      { 'latest-by': 'newest' },
      /latest-by must be uploaded-date, build-number or app-version, not "newest"/
    ],
    [
      'a negative gate',
      { 'min-days-until-expiry': '-1' },
      /min-days-until-expiry must be a whole number from 0 to 89/
    ],
    [
      'a gate no build can pass (whole days left are at most 89)',
      { 'min-days-until-expiry': '90' },
      /min-days-until-expiry must be a whole number from 0 to 89/
    ],
    [
      'no attempt at all',
      { 'max-attempts': '0' },
      /max-attempts must be a whole number from 1 to 10/
    ],
    [
      'a zero timeout',
      { 'timeout-seconds': '0' },
      /timeout-seconds must be a whole number from 1 to 600/
    ],
    ['a missing key id', { 'key-id': '' }, /key-id is required/],
    [
      'a key id that is not 10 characters',
      { 'key-id': 'abc' },
      /key-id must be the 10-character Key ID.*"abc"/
    ],
    [
      'a build number ending in a period',
      { 'build-number': '1.4.' },
      /build-number must be one build number of period-separated integers.*"1.4."/
    ],
    [
      'a build number with letters',
      { 'build-number': '512b' },
      /build-number must be one build number/
    ],
    [
      'a bundle id longer than Apple allows (155 characters)',
      { 'app-id': '', 'bundle-id': 'a'.repeat(156) },
      /bundle-id is 156 characters long, more than the 155 it takes \(not shown\)/
    ],
    ['an issuer id in key-id', { 'key-id': ISSUER }, /key-id looks like an Issuer ID/],
    ['a malformed issuer id', { 'issuer-id': '2X9R4HXF34' }, /issuer-id must be the Issuer ID/],
    ['a missing key', { 'private-key': '' }, /private-key is required/],
    [
      'an http API host',
      { 'api-base-url': 'http://api.example.com' },
      /api-base-url must use https/
    ],
    [
      'a private-range http API host',
      { 'api-base-url': 'http://10.0.0.1' },
      /api-base-url must use https/
    ],
    [
      'a relative API url',
      { 'api-base-url': 'api.example.com' },
      /api-base-url must be an absolute URL/
    ],
    [
      'an API url with a query',
      { 'api-base-url': 'https://api.example.com/?x=1' },
      /must not carry credentials, a query/
    ]
  ])('rejects %s, naming the input', (_case, inputs, message) => {
    expect(problem(inputs)).toMatch(message)
  })

  it('does not echo a key pasted into the wrong input', () => {
    const message = problem({ 'app-id': key.pem })
    expect(message).toMatch(
      /app-id must be the numeric Apple ID .*not shown in case it is a secret/
    )
    expect(message).not.toContain(key.bareBody.slice(0, 20))
  })

  it('masks each line of a key it cannot read, before anything else', () => {
    const broken = key.pem.replace('-----END PRIVATE KEY-----', '')
    const masked: string[] = []
    expect(() => settingsFor({ 'private-key': broken }, masked)).toThrow(InputError)
    for (const line of key.pem.split('\n').filter(l => l && !l.startsWith('-----'))) {
      expect(masked).toContain(line)
    }
    expect(new Set(masked).size).toBe(masked.length)
  })

  it('allows plain http to every loopback form', () => {
    for (const url of [
      'http://127.0.0.1:1',
      'http://127.8.9.10',
      'http://localhost:3000',
      'http://[::1]:3000'
    ]) {
      expect(settingsFor({ 'api-base-url': url }).apiBaseUrl).toBe(url)
    }
  })

  it('reports every bad input in one error', () => {
    const message = problem({ platform: 'android', 'latest-by': 'newest', 'app-id': 'x' })
    expect(message).toMatch(/^3 invalid inputs: /)
    expect(message).toMatch(/platform must/)
    expect(message).toMatch(/latest-by must/)
    expect(message).toMatch(/app-id must/)
  })

  it('bounds the length of every input, and echoes no more than a short prefix', () => {
    for (const [name, length] of [
      ['bundle-id', 156],
      ['app-version', 257],
      ['build-number', 257],
      ['github-token', 8193],
      ['api-base-url', 2049],
      ['private-key', 8193]
    ] as const) {
      const message = problem({ [name]: 'x'.repeat(length), 'pr-comment': 'true' })
      expect(message).toMatch(new RegExp(`^Invalid input: ${name} is ${length} characters long`))
      expect(message).not.toContain('xxxxxxxx')
    }
    const platform = problem({ platform: 'android-'.repeat(6) })
    expect(platform).toContain('"android-android-android-…" (48 characters)')
  })

  it('reads total-timeout-minutes, fractions included', () => {
    expect(settingsFor({ 'total-timeout-minutes': '2.5' }).totalTimeoutMs).toBe(150_000)
    expect(settingsFor({ 'total-timeout-minutes': '0.1' }).totalTimeoutMs).toBe(6_000)
    for (const bad of ['0', '0.05', '361', '1e3', '-1', 'ten']) {
      expect(problem({ 'total-timeout-minutes': bad })).toMatch(
        /total-timeout-minutes must be a number of minutes from 0\.1 to 360/
      )
    }
  })
})

describe('readSettings at the edges of each input', () => {
  it('masks neither an all-blank key nor the blanks around a token', () => {
    const masked: string[] = []
    expect(() => settingsFor({ 'private-key': '   ' }, masked)).toThrow(/private-key is required/)
    expect(masked).toEqual([])
    const settings = settingsFor(
      { 'private-key': key.pem, 'github-token': '  ghp_abc123  ', 'pr-comment': 'true' },
      masked
    )
    expect(masked).toContain('ghp_abc123')
    expect(masked).not.toContain('  ghp_abc123  ')
    expect(settings.githubToken).toBe('ghp_abc123')
  })

  it('reads pr-comment and the token it posts with', () => {
    expect(settingsFor({ 'pr-comment': 'true', 'github-token': 'ghs_x' })).toMatchObject({
      prComment: true,
      githubToken: 'ghs_x'
    })
    expect(settingsFor({})).toMatchObject({ prComment: false, githubToken: '' })
  })

  it('says a pull request got no secrets when all three credentials are empty there', () => {
    const read = (name: InputName): string => (name === 'app-id' ? '1600000001' : '')
    expect(() => readSettings(read, () => undefined, 'from a fork')).toThrow(
      new InputError(
        'issuer-id, key-id and private-key are all empty: this pull request is from a fork, and GitHub gives ' +
          'such runs no repository secrets. Skip the step there with ' +
          "if: github.event.pull_request.head.repo.full_name == github.repository && github.actor != 'dependabot[bot]'."
      )
    )
    const blanks = (name: InputName): string => (name === 'app-id' ? '1600000001' : '  ')
    expect(() => readSettings(blanks, () => undefined, 'from a fork')).toThrow(
      /^issuer-id, key-id and private-key are all empty: this pull request is from a fork/
    )
    // Elsewhere, or with any credential set, empty inputs are ordinary mistakes.
    expect(() => readSettings(read, () => undefined)).toThrow(
      /^2 invalid inputs: key-id is required/
    )
    const keyOnly = (name: InputName): string => (name === 'key-id' ? '2X9R4HXF34' : read(name))
    expect(() => readSettings(keyOnly, () => undefined, 'from a fork')).toThrow(
      /^Invalid input: private-key is required/
    )
    const all = (name: InputName): string =>
      ({ 'key-id': '2X9R4HXF34', 'private-key': key.pem, 'app-id': '1600000001' })[
        name as string
      ] ?? ''
    expect(readSettings(all, () => undefined, 'from a fork').keyId).toBe('2X9R4HXF34')
  })

  it('takes an input as long as its limit, and refuses one character more', () => {
    const longest = 'a'.repeat(155)
    expect(settingsFor({ 'app-id': '', 'bundle-id': longest }).app).toEqual({ bundleId: longest })
    expect(problem({ 'app-id': '', 'bundle-id': `${longest}a` })).toBe(
      'Invalid input: bundle-id is 156 characters long, more than the 155 it takes (not shown).'
    )
  })

  it('takes the longest real values of the newer inputs, and bounds them', () => {
    // Every App Store state Apple has, and both older names: the longest list a user can mean.
    const everyState = [...APP_VERSION_STATES, 'READY_FOR_SALE', 'PROCESSING_FOR_APP_STORE']
    expect(
      settingsFor({ 'app-store-state': everyState.join(', ') }).filters.appStoreStates
    ).toEqual([...APP_VERSION_STATES])
    expect(problem({ 'app-store-state': 'x'.repeat(1025) })).toMatch(
      /^Invalid input: app-store-state is 1025 characters long, more than the 1024 it takes/
    )
    // Four parts of 18 digits each: the largest number the next build number can still bump.
    const largest = Array.from({ length: 4 }, () => '9'.repeat(18)).join('.')
    expect(settingsFor({ 'initial-build-number': largest }).initialBuildNumber).toBe(largest)
    expect(problem({ 'initial-build-number': '1'.repeat(257) })).toMatch(
      /^Invalid input: initial-build-number is 257 characters long/
    )
  })

  it('joins several problems with a space, each ending with its full stop', () => {
    expect(problem({ 'job-summary': 'yes', 'max-attempts': '11' })).toBe(
      '2 invalid inputs: job-summary must be true or false, not "yes". max-attempts must be a whole number from 1 to 10, not "11".'
    )
  })

  it('echoes a rejected value whole up to 24 characters, as a prefix up to 64, and not beyond', () => {
    const of = (length: number): string => problem({ 'latest-by': 'n'.repeat(length) })
    expect(of(24)).toContain(`not "${'n'.repeat(24)}".`)
    expect(of(25)).toContain(`not "${'n'.repeat(24)}…" (25 characters).`)
    expect(of(64)).toContain(`not "${'n'.repeat(24)}…" (64 characters).`)
    expect(of(65)).toContain(
      'not the value given (65 characters, not shown in case it is a secret).'
    )
    expect(problem({ 'latest-by': 'a\nb' })).toContain(
      'not the value given (3 characters, not shown in case it is a secret).'
    )
  })

  it('says what key-id and issuer-id are when they are missing or wrong', () => {
    expect(problem({ 'key-id': '' })).toBe(
      'Invalid input: key-id is required: set it to the Key ID of the App Store Connect API key (10 characters, e.g. 2X9R4HXF34).'
    )
    expect(problem({ 'issuer-id': 'x' })).toBe(
      'Invalid input: issuer-id must be the Issuer ID shown above the team keys in App Store Connect, a UUID such as ' +
        '57246542-96fe-1a63-e053-0824d011072a; leave it empty for an individual key.'
    )
  })

  it.each([
    ['key-id', '2X9R4HXF34X'],
    ['key-id', 'X2X9R4HXF34'],
    ['issuer-id', `${ISSUER}0`],
    ['issuer-id', `0${ISSUER}`],
    ['app-id', '1600000001x'],
    ['app-id', 'x1600000001'],
    ['timeout-seconds', '5s'],
    ['timeout-seconds', 's5'],
    ['total-timeout-minutes', '2.5m'],
    ['total-timeout-minutes', 'm2.5']
  ])('refuses %s %j: the whole value must have the form, not a part of it', (name, value) => {
    expect(problem({ [name]: value })).toMatch(new RegExp(`^Invalid input: ${name} (must|looks)`))
  })

  it('takes the largest value of each bounded number', () => {
    expect(
      settingsFor({
        'timeout-seconds': '600',
        'wait-minutes': '180',
        'wait-interval-seconds': '600',
        'max-attempts': '10',
        'min-days-until-expiry': '89',
        'total-timeout-minutes': '360'
      })
    ).toMatchObject({
      timeoutMs: 600_000,
      waitMs: 180 * 60_000,
      waitIntervalMs: 600_000,
      maxAttempts: 10,
      minDaysUntilExpiry: 89,
      totalTimeoutMs: 360 * 60_000
    })
    expect(settingsFor({ 'total-timeout-minutes': '0.25' }).totalTimeoutMs).toBe(15_000)
  })

  it('takes parts of versions longer than one digit', () => {
    expect(
      settingsFor({ 'app-version': '2.10.31', 'build-number': '10.200' }).filters
    ).toMatchObject({ appVersion: '2.10.31', buildNumber: '10.200' })
  })

  it('takes build numbers as Apple does: four parts (2.0.67.745), and 23 digits', () => {
    expect(settingsFor({ 'build-number': '2.0.67.745' }).filters.buildNumber).toBe('2.0.67.745')
    expect(settingsFor({ 'build-number': '9'.repeat(23) }).filters.buildNumber).toBe('9'.repeat(23))
  })

  it('reads initial-build-number, 1 unless set', () => {
    expect(settingsFor({}).initialBuildNumber).toBe('1')
    expect(settingsFor({ 'initial-build-number': '500' }).initialBuildNumber).toBe('500')
    expect(settingsFor({ 'initial-build-number': '2.0.67.1' }).initialBuildNumber).toBe('2.0.67.1')
  })

  it('reads app-store-state as Apple names the states, the older names mapped and noted', () => {
    expect(settingsFor({}).filters.appStoreStates).toBeUndefined()
    const settings = settingsFor({
      'app-store-state': ' waiting_for_review, IN_REVIEW,,READY_FOR_SALE '
    })
    expect(settings.filters.appStoreStates).toEqual([
      'WAITING_FOR_REVIEW',
      'IN_REVIEW',
      'READY_FOR_DISTRIBUTION'
    ])
    expect(settings.appStoreStateRenames).toEqual([
      'READY_FOR_SALE is the older name of READY_FOR_DISTRIBUTION'
    ])
    expect(
      settingsFor({ 'app-store-state': 'READY_FOR_DISTRIBUTION,READY_FOR_SALE' }).filters
        .appStoreStates
    ).toEqual(['READY_FOR_DISTRIBUTION'])
  })

  it('refuses an App Store state Apple does not have, and the TestFlight inputs beside one', () => {
    expect(problem({ 'app-store-state': 'READY_FOR_DISTRIBUTION,LIVE' })).toMatch(
      /^Invalid input: app-store-state must list App Store version states from ACCEPTED, .*READY_FOR_DISTRIBUTION.* \(or READY_FOR_SALE, PROCESSING_FOR_APP_STORE, their older names\), not "LIVE"\.$/
    )
    expect(problem({ 'app-store-state': ' , ' })).toMatch(/app-store-state must list/)
    expect(problem({ 'app-store-state': 'IN_REVIEW', 'ready-for': 'app-store' })).toMatch(
      /ready-for is a TestFlight check, .*leave ready-for unset with app-store-state/
    )
    expect(problem({ 'app-store-state': 'IN_REVIEW', 'wait-minutes': '1' })).toMatch(
      /leave wait-minutes unset with app-store-state/
    )
    expect(
      settingsFor({ 'app-store-state': 'IN_REVIEW', 'ready-for': 'any', 'wait-minutes': '0' })
        .filters.appStoreStates
    ).toEqual(['IN_REVIEW'])
  })

  it('names every allowed value when refusing an audience or a list of no states', () => {
    expect(problem({ 'build-audience-type': 'EXTERNAL' })).toBe(
      'Invalid input: build-audience-type must be one of APP_STORE_ELIGIBLE, INTERNAL_ONLY, not "EXTERNAL".'
    )
    expect(problem({ 'processing-state': ' , ,' })).toBe(
      'Invalid input: processing-state must list one or more of VALID, PROCESSING, FAILED, INVALID.'
    )
    expect(
      settingsFor({ 'processing-state': 'VALID,,processing,' }).filters.processingStates
    ).toEqual(['VALID', 'PROCESSING'])
  })

  it('still says no app was named when another value merely mentions app-id', () => {
    expect(problem({ 'app-id': '', platform: 'app-id 1' })).toMatch(
      /^2 invalid inputs: platform must .* Neither app-id nor bundle-id is set/
    )
  })

  it.each([
    'https://user@api.example.com',
    'https://:secret@api.example.com',
    'ftp://127.0.0.1',
    'http://127.0.0.1.example.com'
  ])('refuses the API URL %s', url => {
    expect(problem({ 'api-base-url': url })).toMatch(/^Invalid input: api-base-url must/)
  })

  it('keeps a path prefix of the API URL without its trailing slashes', () => {
    expect(settingsFor({ 'api-base-url': 'https://api.example.com/prefix//' }).apiBaseUrl).toBe(
      'https://api.example.com/prefix'
    )
  })
})
