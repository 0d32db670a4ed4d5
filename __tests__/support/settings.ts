import { readSettings, type InputName, type Settings } from '../../src/inputs.js'
import { makeTestKey } from './keys.js'

const key = makeTestKey()
export const ISSUER = '57246542-96fe-1a63-e053-0824d011072a'

/** The settings the action reads from these inputs, beside a working key and app id. */
export function settingsFor(
  inputs: Partial<Record<InputName, string>>,
  masked: string[] = []
): Settings {
  const all: Partial<Record<InputName, string>> = {
    'issuer-id': ISSUER,
    'key-id': '2X9R4HXF34',
    'private-key': key.pem,
    'app-id': '1600000001',
    ...inputs
  }
  return readSettings(
    name => all[name] ?? '',
    secret => masked.push(secret)
  )
}
