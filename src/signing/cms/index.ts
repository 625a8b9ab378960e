/** CMS SignedData for PAdES and CAdES: prepare → sign → complete, reading, and integrity checks. */
export { prepareCmsSignature, completeCmsSignature, contentDigestOf, type CmsProfile, type CmsSignatureState, type PrepareCmsOptions, type PreparedCms, type CompleteCmsOptions } from './sign-cms.ts';
export { readCmsSignature, type CmsSignatureInfo, type CmsAttribute, type EssCertIdV2 } from './read-cms.ts';
export { verifyCmsSignature, type CmsVerification, type CmsCheck, type CmsCheckName } from './verify-cms.ts';
export { readTimestampToken, type TimestampTokenInfo } from './timestamp-token.ts';
export { ecdsaP1363ToDer, ecdsaDerToP1363 } from './algorithms.ts';
