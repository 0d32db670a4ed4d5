// The resource types the sandbox serves, from Apple's OpenAPI document (4.4.1): their enumerations,
// attributes and relationships. Query validation and rendering both read these tables, so each
// relationship is described once.

export const PLATFORMS = ['IOS', 'MAC_OS', 'TV_OS', 'VISION_OS'] as const
export type Platform = (typeof PLATFORMS)[number]
export const PROCESSING_STATES = ['PROCESSING', 'FAILED', 'INVALID', 'VALID'] as const
export type ProcessingState = (typeof PROCESSING_STATES)[number]
export const BUILD_AUDIENCE_TYPES = ['INTERNAL_ONLY', 'APP_STORE_ELIGIBLE'] as const
export type BuildAudienceType = (typeof BUILD_AUDIENCE_TYPES)[number]
/** BuildUploadState. */
export const BUILD_UPLOAD_STATES = ['AWAITING_UPLOAD', 'PROCESSING', 'FAILED', 'COMPLETE'] as const
export type BuildUploadState = (typeof BUILD_UPLOAD_STATES)[number]
/** InternalBetaState. */
export const INTERNAL_BETA_STATES = [
  'PROCESSING',
  'PROCESSING_EXCEPTION',
  'MISSING_EXPORT_COMPLIANCE',
  'READY_FOR_BETA_TESTING',
  'IN_BETA_TESTING',
  'EXPIRED',
  'IN_EXPORT_COMPLIANCE_REVIEW'
] as const
export type InternalBetaState = (typeof INTERNAL_BETA_STATES)[number]
/** ExternalBetaState. */
export const EXTERNAL_BETA_STATES = [
  'PROCESSING',
  'PROCESSING_EXCEPTION',
  'MISSING_EXPORT_COMPLIANCE',
  'READY_FOR_BETA_TESTING',
  'IN_BETA_TESTING',
  'EXPIRED',
  'READY_FOR_BETA_SUBMISSION',
  'IN_EXPORT_COMPLIANCE_REVIEW',
  'WAITING_FOR_BETA_REVIEW',
  'IN_BETA_REVIEW',
  'BETA_REJECTED',
  'BETA_APPROVED',
  'NOT_APPLICABLE'
] as const
export type ExternalBetaState = (typeof EXTERNAL_BETA_STATES)[number]

/**
 * Which links Apple gives a relationship, and whether it carries linkage data: 'one' / 'many' for
 * to-one / to-many, undefined for relationships that only have links. Only relationships with
 * data can be included, and included to-many ones take a limit[...].
 */
export interface RelationshipShape {
  links: 'both' | 'self' | 'related' | 'none'
  cardinality?: 'one' | 'many'
}

export interface ResourceSchema {
  /** Attribute names in the order Apple lists them (the fields[...] values besides relationships). */
  attributes: readonly string[]
  relationships: Readonly<Record<string, RelationshipShape>>
}

export type ResourceType =
  | 'apps'
  | 'builds'
  | 'preReleaseVersions'
  | 'buildUploads'
  | 'buildBetaDetails'
  | 'appStoreVersions'

export const SCHEMAS: Record<ResourceType, ResourceSchema> = {
  builds: {
    attributes: [
      'version',
      'uploadedDate',
      'expirationDate',
      'expired',
      'minOsVersion',
      'lsMinimumSystemVersion',
      'computedMinMacOsVersion',
      'computedMinVisionOsVersion',
      'iconAssetToken',
      'processingState',
      'buildAudienceType',
      'usesNonExemptEncryption'
    ],
    // As in Apple's example response for builds (betaGroups: self only; perfPowerMetrics: related only).
    relationships: {
      preReleaseVersion: { links: 'both', cardinality: 'one' },
      individualTesters: { links: 'both', cardinality: 'many' },
      betaGroups: { links: 'self', cardinality: 'many' },
      betaBuildLocalizations: { links: 'both', cardinality: 'many' },
      appEncryptionDeclaration: { links: 'both', cardinality: 'one' },
      betaAppReviewSubmission: { links: 'both', cardinality: 'one' },
      app: { links: 'both', cardinality: 'one' },
      buildBetaDetail: { links: 'both', cardinality: 'one' },
      appStoreVersion: { links: 'both', cardinality: 'one' },
      icons: { links: 'both', cardinality: 'many' },
      buildBundles: { links: 'none', cardinality: 'many' },
      buildUpload: { links: 'none', cardinality: 'one' },
      perfPowerMetrics: { links: 'related' },
      diagnosticSignatures: { links: 'both' }
    }
  },
  // BuildUpload: `build` and the asset files carry data only (no links); buildUploadFiles has links only.
  buildUploads: {
    attributes: [
      'cfBundleShortVersionString',
      'cfBundleVersion',
      'createdDate',
      'state',
      'platform',
      'uploadedDate'
    ],
    relationships: {
      build: { links: 'none', cardinality: 'one' },
      assetFile: { links: 'none', cardinality: 'one' },
      assetDescriptionFile: { links: 'none', cardinality: 'one' },
      assetSpiFile: { links: 'none', cardinality: 'one' },
      buildUploadFiles: { links: 'both' }
    }
  },
  buildBetaDetails: {
    attributes: ['autoNotifyEnabled', 'internalBuildState', 'externalBuildState'],
    relationships: {
      build: { links: 'both', cardinality: 'one' }
    }
  },
  // AppStoreVersion: `app` carries data only (no links), customerReviews links only; the recorded
  // resources (codemagic, altool) list the others with both links, in this order.
  appStoreVersions: {
    attributes: [
      'platform',
      'versionString',
      'appStoreState',
      'appVersionState',
      'copyright',
      'reviewType',
      'releaseType',
      'earliestReleaseDate',
      'usesIdfa',
      'downloadable',
      'createdDate'
    ],
    relationships: {
      app: { links: 'none', cardinality: 'one' },
      appStoreVersionLocalizations: { links: 'both', cardinality: 'many' },
      build: { links: 'both', cardinality: 'one' },
      appStoreVersionPhasedRelease: { links: 'both', cardinality: 'one' },
      gameCenterAppVersion: { links: 'both', cardinality: 'one' },
      routingAppCoverage: { links: 'both', cardinality: 'one' },
      appStoreReviewDetail: { links: 'both', cardinality: 'one' },
      appStoreVersionSubmission: { links: 'both', cardinality: 'one' },
      appClipDefaultExperience: { links: 'both', cardinality: 'one' },
      appStoreVersionExperiments: { links: 'both', cardinality: 'many' },
      appStoreVersionExperimentsV2: { links: 'both', cardinality: 'many' },
      customerReviews: { links: 'both' },
      alternativeDistributionPackage: { links: 'both', cardinality: 'one' }
    }
  },
  preReleaseVersions: {
    attributes: ['version', 'platform'],
    relationships: {
      builds: { links: 'both', cardinality: 'many' },
      app: { links: 'both', cardinality: 'one' }
    }
  },
  apps: {
    attributes: [
      'accessibilityUrl',
      'name',
      'bundleId',
      'sku',
      'primaryLocale',
      'isOrEverWasMadeForKids',
      'subscriptionStatusUrl',
      'subscriptionStatusUrlVersion',
      'subscriptionStatusUrlForSandbox',
      'subscriptionStatusUrlVersionForSandbox',
      'contentRightsDeclaration',
      'streamlinedPurchasingEnabled'
    ],
    // Only the relationships a request can reach: those the sandbox holds records for (Apple's
    // apps list about 45, each with links).
    relationships: {
      appStoreVersions: { links: 'both', cardinality: 'many' },
      preReleaseVersions: { links: 'both', cardinality: 'many' },
      builds: { links: 'both', cardinality: 'many' },
      buildUploads: { links: 'related' }
    }
  }
}
