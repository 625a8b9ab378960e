/**
 * One entry point for verifying a signed document, XML (XAdES) or PDF (PAdES): detects the
 * type, runs the validator for it and returns a ValidationReport (report.ts). Used by the
 * CLI (`hocba verify`), the public verification page, transfer imports and the tests.
 * Anything that is neither XML nor PDF, or cannot be parsed safely, gives a failed report
 * whose document check names the problem (code document_invalid) — never an exception.
 */
import { SigningError, type RevocationProvider } from '../signer.ts';
import { MAX_PDF_BYTES } from '../pades/pdf-document.ts';
import { DEFAULT_MAX_XML_BYTES } from '../xml/safe-parse.ts';
import { combine, failed, type Check, type ValidationReport } from './report.ts';
import { validatePdf } from './validate-pdf.ts';
import { validateXml } from './validate-xml.ts';

export interface ValidateDocumentOptions {
  /** DER trust anchors (roots). */
  trustAnchors: Uint8Array[];
  /** Further DER CA certificates to build paths with (embedded ones are used anyway). */
  intermediates?: Uint8Array[];
  /**
   * Where revocation evidence comes from besides what the document embeds (PDF /DSS,
   * XAdES RevocationValues): a provider (e.g. revocationClient() over OCSP/CRL), or
   * 'offline' — embedded evidence only. Default 'offline': nothing is fetched unless asked.
   */
  revocation?: RevocationProvider | 'offline';
  /** XML: signature Id → the Ids it must cover; a listed signature that is missing fails the document. */
  expected?: { xml?: { [signatureId: string]: string[] } };
  /** Signatures (XML Ids / PDF field names) that must carry a signature timestamp; true: all. */
  requireTimestamp?: boolean | string[];
  /** XML: the element every ds:Signature must sit in (e.g. HBS <Signatures>). */
  xmlContainer?: { namespace: string; localName: string };
  /** The validation time (default now). */
  now?: Date;
  /** Size limit in bytes (default 5 MiB for XML, 64 MiB for PDF). */
  maxBytes?: number;
}

type Kind = ValidationReport['documentType'];

/** Detects XML (optionally after a UTF-8 BOM and white space) or PDF (%PDF- in the first KiB). */
export function detectDocumentType(bytes: Uint8Array): Kind {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024));
  if (head.indexOf('%PDF-') >= 0) return 'pdf';
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  return head[i] === 0x3c /* < */ ? 'xml' : 'unknown';
}

function refused(documentType: Kind, reason: string, now: Date): ValidationReport {
  const check: Check = { ...failed(reason), code: 'document_invalid' };
  return { documentType, documentChecks: { format: check }, signatures: [], status: 'failed', validatedAt: now.toISOString() };
}

const hexStart = (b: Uint8Array) => Buffer.from(b.subarray(0, 8)).toString('hex').replace(/(..)(?!$)/g, '$1 ');

/** Verifies every signature of an XML or PDF document; see ValidateDocumentOptions. */
export async function validateDocument(bytes: Uint8Array, opts: ValidateDocumentOptions): Promise<ValidationReport> {
  const now = opts.now ?? new Date();
  if (!(bytes instanceof Uint8Array)) return refused('unknown', 'expected the document as bytes', now);
  const type = detectDocumentType(bytes);
  if (type === 'unknown') {
    const utf16 = (bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe);
    return refused('unknown', bytes.length === 0 ? 'the document is empty' : utf16 ? 'UTF-16 text: only UTF-8 XML documents and PDFs are accepted' : `neither an XML document nor a PDF (it starts with bytes ${hexStart(bytes)})`, now);
  }
  const limit = opts.maxBytes ?? (type === 'xml' ? DEFAULT_MAX_XML_BYTES : MAX_PDF_BYTES);
  if (bytes.length > limit) return refused(type, `the ${type.toUpperCase()} document is ${bytes.length} bytes, above the ${limit}-byte limit`, now);

  const requireTimestamp = (id: string) => opts.requireTimestamp === true || (Array.isArray(opts.requireTimestamp) && opts.requireTimestamp.includes(id));
  const base = {
    trustAnchors: opts.trustAnchors,
    intermediates: opts.intermediates ?? [],
    provider: opts.revocation && opts.revocation !== 'offline' ? opts.revocation : null,
    now,
    requireTimestamp,
  };
  let parts: Pick<ValidationReport, 'documentChecks' | 'signatures'>;
  try {
    if (type === 'xml') {
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        return refused('xml', 'the XML document is not valid UTF-8', now);
      }
      parts = await validateXml(text.replace(/^\uFEFF/, ''), { ...base, maxBytes: limit, ...(opts.expected?.xml ? { expected: opts.expected.xml } : {}), ...(opts.xmlContainer ? { container: opts.xmlContainer } : {}) });
    } else {
      parts = await validatePdf(bytes, base);
    }
  } catch (e) {
    if (e instanceof SigningError && e.code === 'document_invalid') return refused(type, e.message, now);
    // Anything else is our failure to judge the document, not proof that it is bad.
    const message = e instanceof Error ? e.message : String(e);
    return { documentType: type, documentChecks: { format: { status: 'indeterminate', reason: `the document could not be validated: ${message}` } }, signatures: [], status: 'indeterminate', validatedAt: now.toISOString() };
  }
  const status = combine([...Object.values(parts.documentChecks).map((c) => c.status), ...parts.signatures.map((s) => s.status)]);
  return { documentType: type, ...parts, status, validatedAt: now.toISOString() };
}
