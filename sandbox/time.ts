// Time units, and dates as Apple writes them: Pacific time, written by hand. Apple stamps dates
// in America/Los_Angeles, and doing the US DST rule directly is independent of the ICU data
// installed and fast enough for 20,000 builds.

export const SECOND = 1000
export const MINUTE = 60 * SECOND
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR

const dstCache = new Map<number, readonly [number, number]>()

/** [start, end) of daylight saving time in UTC milliseconds for a year (rules since 2007). */
function pacificDstWindow(year: number): readonly [number, number] {
  const cached = dstCache.get(year)
  if (cached) return cached
  const march1 = new Date(Date.UTC(year, 2, 1)).getUTCDay()
  const secondSundayOfMarch = 1 + ((7 - march1) % 7) + 7
  const november1 = new Date(Date.UTC(year, 10, 1)).getUTCDay()
  const firstSundayOfNovember = 1 + ((7 - november1) % 7)
  // 02:00 PST is 10:00 UTC; 02:00 PDT is 09:00 UTC.
  const window = [
    Date.UTC(year, 2, secondSundayOfMarch, 10),
    Date.UTC(year, 10, firstSundayOfNovember, 9)
  ] as const
  dstCache.set(year, window)
  return window
}

const AVERAGE_YEAR_MS = 365.2425 * DAY

/** Offset of Pacific time from UTC at an instant, in minutes (-420 in summer, -480 in winter). */
export function pacificOffsetMinutes(utcMs: number): number {
  // The estimated year can be off by one only around New Year, far outside any DST window.
  const [start, end] = pacificDstWindow(1970 + Math.floor(utcMs / AVERAGE_YEAR_MS))
  return utcMs >= start && utcMs < end ? -420 : -480
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'))

/** Civil date from days since 1970-01-01 (H. Hinnant's algorithm), without allocating a Date. */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365
  )
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day]
}

function formatWithOffset(utcMs: number, offsetMinutes: number): string {
  const localSeconds = Math.floor((utcMs + offsetMinutes * MINUTE) / 1000)
  const days = Math.floor(localSeconds / 86400)
  const secondOfDay = localSeconds - days * 86400
  const [year, month, day] = civilFromDays(days)
  const abs = Math.abs(offsetMinutes)
  return (
    `${year}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}` +
    `T${TWO_DIGITS[Math.floor(secondOfDay / 3600)]}:${TWO_DIGITS[Math.floor(secondOfDay / 60) % 60]}:${TWO_DIGITS[secondOfDay % 60]}` +
    `${offsetMinutes < 0 ? '-' : '+'}${TWO_DIGITS[Math.floor(abs / 60)]}:${TWO_DIGITS[abs % 60]}`
  )
}

/** '2026-09-07T10:42:15-07:00' for an instant, in Pacific time. */
export function formatPacific(utcMs: number): string {
  return formatWithOffset(utcMs, pacificOffsetMinutes(utcMs))
}

/**
 * Adds calendar days in Pacific wall time, the way Apple's expiration dates read: uploaded
 * '2022-09-07T10:42:15-07:00' expires '2022-12-06T10:42:15-08:00' (same clock time, new offset).
 */
export function addPacificDays(utcMs: number, days: number): number {
  const wall = utcMs + pacificOffsetMinutes(utcMs) * MINUTE + days * DAY
  let offset = pacificOffsetMinutes(wall + 480 * MINUTE)
  offset = pacificOffsetMinutes(wall - offset * MINUTE)
  return wall - offset * MINUTE
}
