// Versions as Apple compares them: build numbers (CFBundleVersion) and marketing versions
// (CFBundleShortVersionString), each one to three period-separated integers.

/**
 * Compares versions numerically by dot-separated parts, so that "10" > "9" and
 * "1.10" > "1.9". Missing parts count as zero ("1.2" equals "1.2.0"). A part that is not all
 * digits (not allowed by Apple, but seen) compares as text.
 */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.')
  const right = b.split('.')
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = comparePart(left[index] ?? '0', right[index] ?? '0')
    if (difference !== 0) return difference
  }
  return 0
}

function comparePart(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    // Digit strings of any length, without the precision loss of parseInt.
    const left = withoutLeadingZeros(a)
    const right = withoutLeadingZeros(b)
    if (left.length !== right.length) return left.length - right.length
    return compare(left, right)
  }
  return compare(a, b)
}

/** -1, 0 or 1, as sort comparators want. */
export function compare<T extends string | number>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function withoutLeadingZeros(digits: string): string {
  return digits.replace(/^0+(?=\d)/, '')
}

/**
 * The release train a marketing version names: Apple treats `1.4`, `1.4.0` and `01.4` as
 * one train, so leading zeros and trailing `.0` parts go ("1.4.0" → "1.4").
 */
export function normalizeVersion(version: string): string {
  const parts = version
    .split('.')
    .map(part => (/^\d+$/.test(part) ? withoutLeadingZeros(part) : part))
  while (parts.length > 1 && parts.at(-1) === '0') parts.pop()
  return parts.join('.')
}

/** Whether two marketing versions name the same train ("1.4" and "1.4.0" do). */
export function sameVersion(a: string, b: string): boolean {
  return normalizeVersion(a) === normalizeVersion(b)
}

/**
 * Every spelling of a train up to three parts, the given one first: "1.4" → 1.4, 1.4.0.
 * Apple finds a train only by the spelling uploaded first, so a query asks for all of them.
 */
export function versionSpellings(version: string): string[] {
  const parts = normalizeVersion(version).split('.')
  const spellings = [version]
  for (let length = parts.length; length <= 3; length++) {
    spellings.push([...parts, ...Array<string>(length - parts.length).fill('0')].join('.'))
  }
  return [...new Set(spellings)]
}

/** The spellings of a train to ask Apple for: the usual ones, then those it is known to store. */
export function trainSpellings(version: string, stored: readonly string[] = []): string[] {
  return [...new Set([...versionSpellings(version), ...stored])]
}

/** One more than a build number, on its last part: "631" → "632", "1.4.9" → "1.4.10". */
export function bumpBuildNumber(buildNumber: string): string {
  const parts = buildNumber.split('.')
  const last = parts.pop() ?? '0'
  return [...parts, String(BigInt(last) + 1n)].join('.')
}
