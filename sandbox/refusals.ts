// Why Apple refuses a binary, as its upload records say it: `state.errors` entries whose code is
// the bare number (a recorded FAILED upload says "90683", without the "ITMS-" of Apple's tools),
// and the record a refused binary leaves behind.
import type { StateDetail } from './lifecycle.js'
import type { UploadSchedule } from './timeline.js'

export const APPLE_REFUSALS = {
  /** A recorded FAILED upload's error. */
  missingPurposeString: { code: '90683', description: 'Missing purpose string in Info.plist.' },
  /** The daily upload limit; the refused binary's record stays AWAITING_UPLOAD. The wording is ours. */
  uploadLimit: {
    code: '90382',
    description:
      'Upload limit reached. The upload limit for your application has been reached. Please wait 1 day and try again.'
  }
} as const satisfies Record<string, StateDetail>

/**
 * A dead upload: a record created `hoursAgo` hours before the start signal, AWAITING_UPLOAD for
 * ever, because Apple refused the binary before receiving it (reference notes, "Lessons from
 * peers' bug trackers": one uploader polled such a record for 29 minutes).
 */
export function deadUpload(
  upload: Omit<UploadSchedule, 'steps' | 'createdSecondsAgo' | 'uploadId'> & { hoursAgo?: number }
): UploadSchedule {
  const { hoursAgo = 3, ...rest } = upload
  return { ...rest, createdSecondsAgo: hoursAgo * 3600, steps: [{ at: 0 }] }
}
