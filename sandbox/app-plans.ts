// The catalogue's apps, and how each one uploads: its platforms, build-number scheme, marketing
// versions and train spellings.
import type { BuildNumberScheme } from './build-numbers.js'
import type { LandmarkName, SandboxApp } from './records.js'
import type { Platform } from './schema.js'

/** How the trains of a version are spelled: first upload 'X.Y' then 'X.Y.0', or the reverse. */
type Spelling = 'short-first' | 'long-first'

export interface AppPlan {
  app: SandboxApp
  platforms: ReadonlyArray<readonly [Platform, number]>
  scheme: BuildNumberScheme
  /** Platforms numbered on their own (a separate target), e.g. macOS beside an iOS counter. */
  platformSchemes?: Partial<Record<Platform, BuildNumberScheme>>
  firstVersion: readonly [number, number, number]
  /** Minor bumps only, so a train crosses 1.9 -> 1.10 (textual sorting trap). */
  minorBumpsOnly: boolean
  /** The newest version is a minor bump ('2.9.0'), so its trains can also be spelled '2.9'. */
  lastVersionMinor?: boolean
  /** The planted traps open a new marketing version (a new train) after the history. */
  trapsOpenNewTrain?: boolean
  /** How the trains of the newest version are spelled, per platform. */
  currentTrainSpelling?: Partial<Record<Platform, Spelling>>
  /** A train whose first upload wrote the minor part with a leading zero ('1.07'). */
  leadingZeroTrain?: { platform: Platform; versionIndex: number; landmark: LandmarkName }
}

/** The main app of the demo; its newest uploads carry the traps. */
export const MAIN_BUNDLE_ID = 'com.example.weather'
/** Owns the newest upload of the whole catalogue, and shares the main app's bundle-id prefix. */
export const NEWEST_UPLOAD_BUNDLE_ID = 'com.example.weather.widget'

export const APP_PLANS: readonly AppPlan[] = [
  {
    app: {
      id: '1600000001',
      bundleId: MAIN_BUNDLE_ID,
      name: 'Weather',
      sku: 'EXAMPLE-WEATHER',
      primaryLocale: 'en-US'
    },
    // One app record, several platforms (reference notes, "Versions as Apple compares them").
    platforms: [
      ['IOS', 0.65],
      ['MAC_OS', 0.25],
      ['TV_OS', 0.1]
    ],
    scheme: { kind: 'counter', start: 1 },
    // The macOS target numbers '2.9.4' on its own: on macOS numbers must grow across versions.
    platformSchemes: { MAC_OS: { kind: 'marketing-dotted' } },
    firstVersion: [2, 0, 0],
    minorBumpsOnly: false,
    lastVersionMinor: true,
    currentTrainSpelling: { IOS: 'short-first', MAC_OS: 'long-first' }
  },
  {
    app: {
      id: '1600000002',
      bundleId: NEWEST_UPLOAD_BUNDLE_ID,
      name: 'Weather Widget',
      sku: 'EXAMPLE-WEATHER-WIDGET',
      primaryLocale: 'en-US'
    },
    platforms: [['IOS', 1]],
    scheme: { kind: 'per-version' },
    firstVersion: [1, 0, 0],
    minorBumpsOnly: false,
    trapsOpenNewTrain: true
  },
  {
    app: {
      id: '1600000003',
      bundleId: 'com.example.weatherpro',
      name: 'Weather Pro',
      sku: 'EXAMPLE-WEATHERPRO',
      primaryLocale: 'en-US'
    },
    platforms: [
      ['IOS', 0.5],
      ['TV_OS', 0.25],
      ['VISION_OS', 0.25]
    ],
    scheme: { kind: 'marketing-dotted' },
    firstVersion: [1, 4, 0],
    minorBumpsOnly: true,
    leadingZeroTrain: {
      platform: 'IOS',
      versionIndex: 3,
      landmark: 'weatherpro.ios.leadingZeroTrain'
    }
  },
  {
    app: {
      id: '1600000004',
      bundleId: 'com.example.news',
      name: 'Example News',
      sku: 'EXAMPLE-NEWS',
      primaryLocale: 'en-GB'
    },
    platforms: [
      ['IOS', 0.6],
      ['MAC_OS', 0.4]
    ],
    scheme: { kind: 'marketing-packed' },
    firstVersion: [2, 1, 0],
    minorBumpsOnly: true
  },
  {
    app: {
      id: '1600000005',
      bundleId: 'com.example.news.ios',
      name: 'Example News for iPhone',
      sku: 'EXAMPLE-NEWS-IOS',
      primaryLocale: 'en-GB'
    },
    platforms: [['IOS', 1]],
    scheme: { kind: 'major-counter', major: 4, start: 60 },
    firstVersion: [4, 2, 0],
    minorBumpsOnly: false
  }
]
