/** PAdES: signing PDFs (prepare/complete, signPdf), B-LT validation data (DSS), and reading signatures back. */
export { preparePadesSignature, completePadesSignature, byteRangeDigest, type PreparePadesOptions, type PadesSignatureState, type PreparedPades, type CompletePadesOptions } from './prepare-pades.ts';
export { signPdf, gatherValidationData, type SignPdfOptions } from './sign-pdf.ts';
export { addDss, readDss, type DssContent, type DssData } from './dss.ts';
export { readPdfSignatures, signedBytes, type PdfSignatureInfo } from './read-signatures.ts';
export { MAX_PDF_BYTES } from './pdf-document.ts';
