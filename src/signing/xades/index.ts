/**
 * XAdES on XML (ETSI EN 319 132-1): BES/EPES and T, with a prepare → sign → complete split.
 * Signed data sits in elements carrying Id; every ds:Signature goes into one container
 * outside the data and references `#Id`s (data and earlier signatures) with exclusive c14n.
 * docs/signing-xml.md explains the format and the checks.
 */
export { prepareXadesSignature, formatSigningTime, type PrepareXadesOptions, type PreparedXadesSignature, type XadesSigningState, type XadesContainer } from './prepare.ts';
export { completeXadesSignature, XadesDocumentChangedError, type CompleteXadesOptions } from './complete.ts';
export { signXades, type SignXadesOptions } from './sign.ts';
export { readXadesSignatures, type XadesSignatureInfo, type XadesReferenceInfo } from './read.ts';
export { verifyXadesSignature, verifyAllXadesSignatures, type VerifyXadesOptions, type XadesVerification, type XadesCheck, type XadesCheckName, type XadesReferenceResult } from './verify.ts';
export { COMMITMENT_TYPES, DS_NS, XADES_NS, EXC_C14N, SIGNED_PROPERTIES_TYPE, type CommitmentTypeName } from './constants.ts';
