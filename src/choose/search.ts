// What a search asks for, in the action's own terms: shared by the inputs that fill it and
// the modules that query, re-check and order builds.
import type { BuildAudienceType, Platform, ProcessingState } from '../apple/apple-types.js'

export const LATEST_BY_RULES = ['uploaded-date', 'build-number'] as const
export type LatestBy = (typeof LATEST_BY_RULES)[number]

/** Which builds count; each field left undefined means "any". */
export interface BuildFilters {
  platform?: Platform
  appVersion?: string
  buildNumber?: string
  buildAudienceType?: BuildAudienceType
  processingStates: ProcessingState[]
  includeExpired: boolean
}

export type AppSelector =
  { appId: string; bundleId?: undefined } | { bundleId: string; appId?: undefined }
