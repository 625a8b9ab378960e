/**
 * The fonts the học bạ PDF embeds: Tinos (metric-compatible with Times New Roman, full
 * Vietnamese coverage), shipped by npm in `@expo-google-fonts/tinos`. Never system fonts
 * (Debian's serif fonts lack most Vietnamese letters) and never pdfkit's standard 14 fonts
 * (not embedded, so not PDF/A).
 */
import { createRequire } from 'node:module';

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
