/**
 * Signature validation: one call for an XML (XAdES) or PDF (PAdES) document, returning a
 * report of separate checks per signature (docs/verification.md).
 */
export { validateDocument, detectDocumentType, type ValidateDocumentOptions } from './validate-document.ts';
export { combine, passed, failed, indeterminate, type Check, type CheckStatus, type SignatureCheckName, type SignatureReport, type SignerInfo, type ValidationReport } from './report.ts';
export { changesAfter, type ChangeReport } from './pdf-changes.ts';
