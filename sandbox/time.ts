// Time units, and dates as Apple writes build dates: Pacific time with its offset and no
// fraction ('2026-09-07T10:42:15-07:00'). The offset comes from the platform's time zone data
// (Intl, America/Los_Angeles), so daylight saving follows whatever rules that data holds.

export const SECOND = 1000
export const MINUTE = 60 * SECOND
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR

const PACIFIC = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/Los_Angeles',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit'
})

/** Pacific wall-clock time of an instant, as if it were UTC (milliseconds, whole seconds). */
function pacificWall(utcMs: number): number {
  const part: Record<string, number> = {}
  for (const { type, value } of PACIFIC.formatToParts(utcMs)) part[type] = Number(value)
  return Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!)
}

/** Offset of Pacific time from UTC at an instant, in minutes (-420 in summer, -480 in winter). */
export function pacificOffsetMinutes(utcMs: number): number {
  const whole = Math.floor(utcMs / SECOND) * SECOND
  return Math.round((pacificWall(whole) - whole) / MINUTE)
}

const two = (n: number) => String(n).padStart(2, '0')

/** '2026-09-07T10:42:15-07:00' for an instant, in Pacific time. */
export function formatPacific(utcMs: number): string {
  const offset = pacificOffsetMinutes(utcMs)
  const local = new Date(Math.floor(utcMs / SECOND) * SECOND + offset * MINUTE)
  const abs = Math.abs(offset)
  return (
    local.toISOString().slice(0, 19) +
    `${offset < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`
  )
}

/**
 * Adds calendar days in Pacific wall time, the way Apple's expiration dates read: uploaded
 * '2022-09-07T10:42:15-07:00' expires '2022-12-06T10:42:15-08:00' (same clock time, new offset).
 */
export function addPacificDays(utcMs: number, days: number): number {
  const wall = utcMs + pacificOffsetMinutes(utcMs) * MINUTE + days * DAY
  // The instant whose wall time that is: try the offset at a first guess, then at the result.
  let offset = pacificOffsetMinutes(wall + 480 * MINUTE)
  offset = pacificOffsetMinutes(wall - offset * MINUTE)
  return wall - offset * MINUTE
}
