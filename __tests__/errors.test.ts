import { runInNewContext } from 'node:vm'
import { describe, expect, it } from '@jest/globals'
import { AppleApiError, hintFor } from '../src/apple/apple-error.js'
import { errorMessage } from '../src/errors.js'

describe('errorMessage', () => {
  it('gives a message for anything thrown, Error or not', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom')
    expect(errorMessage(new TypeError(''))).toBe('TypeError')
    expect(errorMessage('plain string')).toBe('plain string')
    expect(errorMessage({ code: 42 })).toBe('Unexpected failure: {"code":42}')
    expect(errorMessage(undefined)).toBe('Unexpected failure: undefined')
    const circular: Record<string, unknown> = {}
    circular.self = circular
    expect(errorMessage(circular)).toBe('Unexpected failure: [object Object]')
  })
})

describe('errorMessage, errors from another realm', () => {
  it('reads an error from a VM context or a worker by its message and name', () => {
    const foreign = runInNewContext('new RangeError("out of range")') as unknown
    expect(foreign instanceof Error).toBe(false)
    expect(errorMessage(foreign)).toBe('out of range')
    expect(errorMessage(runInNewContext('new TypeError("")'))).toBe('TypeError')
  })

  it('takes an object for an error only with a text message and a text name', () => {
    expect(errorMessage({ message: 'no name' })).toBe('Unexpected failure: {"message":"no name"}')
    expect(errorMessage({ message: 7, name: 'Seven' })).toBe(
      'Unexpected failure: {"message":7,"name":"Seven"}'
    )
    expect(errorMessage({ message: 'm', name: 7 })).toBe(
      'Unexpected failure: {"message":"m","name":7}'
    )
    expect(errorMessage(null)).toBe('Unexpected failure: null')
  })
})

describe('AppleApiError', () => {
  it('joins several of Apple’s errors and keeps the first code', () => {
    const error = new AppleApiError(
      400,
      [
        { code: 'PARAMETER_ERROR.INVALID', detail: "'X' is not a valid value" },
        { code: 'PARAMETER_ERROR.ILLEGAL', title: 'A parameter is not allowed' }
      ],
      'listing builds',
      undefined
    )
    expect(error.code).toBe('PARAMETER_ERROR.INVALID')
    expect(error.message).toBe(
      "App Store Connect answered 400 while listing builds: PARAMETER_ERROR.INVALID: 'X' is not a valid value; PARAMETER_ERROR.ILLEGAL: A parameter is not allowed."
    )
  })
})

describe('AppleApiError, as Apple words its bodies', () => {
  it('shows where links.see points, after the detail and before the hint', () => {
    const entry = {
      status: '403',
      code: 'FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED',
      title: 'A required agreement is missing or has expired.',
      detail:
        'This request requires an in-effect agreement that has not been signed or has expired.',
      see: '/agreements'
    }
    expect(new AppleApiError(403, [entry], 'listing builds', hintFor(403, entry)).message).toBe(
      'App Store Connect answered 403 while listing builds: FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED: ' +
        'This request requires an in-effect agreement that has not been signed or has expired (Apple points to /agreements). ' +
        'The Account Holder must accept the latest agreements in App Store Connect (Business > Agreements), then run again.'
    )
  })

  it('falls back on the title when an entry has no detail', () => {
    expect(
      new AppleApiError(
        409,
        [{ status: '409', code: 'STATE_ERROR', title: 'The request cannot be fulfilled.' }],
        'listing builds',
        undefined
      ).message
    ).toBe(
      'App Store Connect answered 409 while listing builds: STATE_ERROR: The request cannot be fulfilled.'
    )
  })
})

describe('AppleApiError, partial answers', () => {
  it('says what it has: a code alone, a detail alone, or nothing, then the hint', () => {
    expect(
      new AppleApiError(500, [{ code: 'UNEXPECTED_ERROR' }], 'listing builds', undefined).message
    ).toBe('App Store Connect answered 500 while listing builds: UNEXPECTED_ERROR.')
    expect(
      new AppleApiError(500, [{ detail: 'Try later.' }], 'listing builds', undefined).message
    ).toBe('App Store Connect answered 500 while listing builds: Try later.')
    const bare = new AppleApiError(404, [], 'looking up app 42', 'Check app-id.')
    expect(bare.message).toBe(
      'App Store Connect answered 404 while looking up app 42: no error details in the response. Check app-id.'
    )
    expect(bare.code).toBeUndefined()
  })
})

describe('hintFor', () => {
  it('for a 400 without a named parameter, or with one no input fills, asks for a report', () => {
    const report =
      'Apple refused a parameter the action sent: please report this with the message above, as the API may have changed.'
    expect(hintFor(400, undefined)).toBe(report)
    expect(hintFor(400, { code: 'PARAMETER_ERROR.INVALID' })).toBe(report)
    expect(hintFor(400, { source: { parameter: 'sort' } }, () => undefined)).toBe(report)
    expect(hintFor(400, { source: { parameter: 'filter[version]' } }, () => 'build-number')).toBe(
      'Apple refused the value of build-number: check it against what App Store Connect shows.'
    )
  })

  it('for a 401 names every likely cause', () => {
    expect(hintFor(401, undefined)).toBe(
      'Check that issuer-id, key-id and private-key belong to the same App Store Connect API key ' +
        '(an individual key takes an empty issuer-id), that the key has not been revoked, ' +
        "and that the runner's clock is correct."
    )
  })

  it('has none for a status nobody can act on', () => {
    expect(hintFor(500, { code: 'UNEXPECTED_ERROR' })).toBeUndefined()
  })
})
