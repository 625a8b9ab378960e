import type { viSignatures } from './vi-signatures.ts';

/** English UI strings for the signature and seal images (see vi-signatures.ts). */
export const enSignatures: Record<keyof typeof viSignatures, string> = {
  'signatureImage.title': 'Signature image',
  'signatureImage.sealTitle': 'School seal image',
  'signatureImage.hint': 'Your handwritten signature in blue, PNG with a transparent background, at most 1 MB (Decree 30/2020). It is stamped in your signature box on the records you sign.',
  'signatureImage.sealHint': "The seal in red, PNG with a transparent background, at most 1 MB, at its real size (keep the resolution in the file). It covers about the left third of the principal's signature.",
  'signatureImage.none': 'No image yet. When you sign, the record shows your signature details as text.',
  'signatureImage.sealNone': 'No seal image yet.',
  'signatureImage.upload': 'Upload image',
  'signatureImage.replace': 'Replace image',
  'signatureImage.remove': 'Remove image',
  'signatureImage.removeConfirm': 'Remove this image? Records already signed do not change.',
  'signatureImage.uploaded': 'Image saved.',
  'signatureImage.removed': 'Image removed.',
  'signatureImage.details': '{width} × {height} pixels · uploaded {at}',
  'signatureImage.size': 'Real size: {width} × {height} mm',
  'signatureImage.alt': 'Your signature image',
  'signatureImage.sealAlt': 'The school seal image',
};
