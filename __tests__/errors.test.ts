import { describe, expect, it } from '@jest/globals'
import { AppleApiError } from '../src/apple/apple-error.js'
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
