/**
 * The fonts the học bạ PDF embeds: Tinos (metric-compatible with Times New Roman, full
 * Vietnamese coverage), shipped by npm in `@expo-google-fonts/tinos`. Never system fonts
 * (Debian's serif fonts lack most Vietnamese letters) and never pdfkit's standard 14 fonts
 * (not embedded, so not PDF/A).
 *
 * Speed: parsing a TTF and decoding its tables (glyph metrics, GSUB/GPOS) is most of the cost
 * of a one-page PDF. So each face is parsed once per process and the parsed font is handed to
 * every document; each document still makes its own subset of the glyphs it uses, so the
 * output is the same as when every document parses the file itself.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';

const require = createRequire(import.meta.url);

/** The four Tinos faces, by the names the renderer registers them under. */
export const TINOS_FACES = {
  regular: '400Regular/Tinos_400Regular.ttf',
  bold: '700Bold/Tinos_700Bold.ttf',
  italic: '400Regular_Italic/Tinos_400Regular_Italic.ttf',
  boldItalic: '700Bold_Italic/Tinos_700Bold_Italic.ttf',
} as const;

export type FontFace = keyof typeof TINOS_FACES;

/** Absolute path of a Tinos TTF, resolved from the installed package (not from the cwd). */
export function tinosPath(face: FontFace): string {
  return require.resolve(`@expo-google-fonts/tinos/${TINOS_FACES[face]}`);
}

/** A parsed font as pdfkit takes it for `registerFont` / `font` (a fontkit font object). */
export type ParsedFont = object & { layout: (...args: never[]) => unknown };

const parsed = new Map<FontFace, ParsedFont>();

function parse(face: FontFace): ParsedFont {
  let font = parsed.get(face);
  if (!font) {
    // Parsed by pdfkit's own font factory (a throwaway document opened on the file's bytes),
    // so it is exactly the fontkit object, and fontkit version, pdfkit would make itself.
    const probe = new PDFDocument({ autoFirstPage: false, font: null as unknown as string });
    probe.font(readFileSync(tinosPath(face)));
    font = (probe as unknown as { _font: { font: ParsedFont } })._font.font;
    if (typeof font?.layout !== 'function') throw new Error(`pdfkit did not parse the Tinos ${face} face`);
    parsed.set(face, font);
  }
  return font;
}

/**
 * The four parsed Tinos faces for one new document: parsed once per process, shared by every
 * document. Call it once per document, and lay the document out synchronously (no await
 * between this call and `doc.end()`), so two documents never share a glyph cache.
 */
export function documentFonts(): Record<FontFace, ParsedFont> {
  const out = {} as Record<FontFace, ParsedFont>;
  for (const face of Object.keys(TINOS_FACES) as FontFace[]) {
    const font = parse(face);
    // fontkit caches glyph objects, and a glyph keeps the code points it was first asked for
    // (the subsetter asks for composite components with none): they become the ToUnicode map.
    // An empty glyph cache per document gives each document exactly what a freshly parsed
    // font would, so no document depends on the ones rendered before it.
    (font as unknown as { _glyphs: Record<number, unknown> })._glyphs = {};
    out[face] = font;
  }
  return out;
}
