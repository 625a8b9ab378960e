/**
 * Renders a stored record version as its PDF/A-3 face: the one place that turns (XML,
 * digest) into the page with the verification QR code, used by the download route, the
 * in-browser preview and the bulk export job — so all three give the same bytes.
 */
import { hbsV1 } from '../../documents/hbs-xml/hbs-v1.ts';
import { renderRecordPdf } from '../../documents/pdf/render-record.ts';
import { verificationCode } from '../../domain/record/verification-code.ts';

/** The short code and the public URL where anyone can check this version. */
export function verificationOf(digest: string, publicUrl: string): { code: string; url: string } {
  const code = verificationCode(digest);
  return { code, url: `${publicUrl.replace(/\/+$/, '')}/verify/${code}` };
}

/** The PDF/A-3 of a version, rendered from its stored canonical XML (deterministic). */
export async function renderVersionPdf(v: { xml: string; digest: string }, publicUrl: string, practice = false): Promise<{ pdf: Buffer; code: string; url: string }> {
  const verification = verificationOf(v.digest, publicUrl);
  const pdf = await renderRecordPdf(hbsV1.parse(v.xml), { xml: v.xml, verification, practice });
  return { pdf, ...verification };
}
