import { describe, expect, it } from '@jest/globals'
import {
  bumpBuildNumber,
  normalizeVersion,
  sameVersion,
  trainSpellings,
  versionSpellings
} from '../src/choose/versions.js'

describe('marketing versions as Apple compares them', () => {
  it.each([
    ['1.4.0', '1.4'],
    ['1.4', '1.4'],
    ['01.04', '1.4'],
    ['1.0.0', '1'],
    ['2', '2'],
    ['10.0.1', '10.0.1'],
    ['0.0', '0']
  ])('reads %s as the train %s', (given, train) => {
    expect(normalizeVersion(given)).toBe(train)
  })

  it('treats 1.4, 1.4.0 and 01.4 as one train, and 1.4.1 as another', () => {
    expect(sameVersion('1.4', '1.4.0')).toBe(true)
    expect(sameVersion('1.4.0', '01.4')).toBe(true)
    expect(sameVersion('1.4', '1.4.1')).toBe(false)
    expect(sameVersion('1.4', '1.40')).toBe(false)
  })

  it('keeps a part that is not all digits as it is: its zeros are not leading zeros', () => {
    expect(normalizeVersion('1.01a')).toBe('1.01a')
    expect(normalizeVersion('1.00a1')).toBe('1.00a1')
    expect(sameVersion('1.01a', '1.1a')).toBe(false)
  })

  it.each([
    ['1.4', ['1.4', '1.4.0']],
    ['1.4.0', ['1.4.0', '1.4']],
    ['1', ['1', '1.0', '1.0.0']],
    ['1.4.2', ['1.4.2']],
    ['01.4', ['01.4', '1.4', '1.4.0']]
  ])('asks Apple for every spelling of %s', (given, spellings) => {
    expect(versionSpellings(given)).toEqual(spellings)
  })

  it('adds the spellings Apple is known to store, once each', () => {
    expect(trainSpellings('1.7', ['1.07', '1.7.0', '01.7'])).toEqual([
      '1.7',
      '1.7.0',
      '1.07',
      '01.7'
    ])
    expect(trainSpellings('1.7')).toEqual(['1.7', '1.7.0'])
  })
})

describe('bumpBuildNumber', () => {
  it.each([
    ['631', '632'],
    ['9', '10'],
    ['1.4.9', '1.4.10'],
    ['2.0', '2.1'],
    ['99999999999999999999', '100000000000000000000']
  ])('bumps %s to %s on its last part', (given, next) => {
    expect(bumpBuildNumber(given)).toBe(next)
  })
})
