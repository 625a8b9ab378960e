/**
 * The pages of the user guide (docs/guide/<page>.md, written in Vietnamese with an English
 * summary). The in-app viewer serves only these names, so a request can never name another file.
 */
export const GUIDE_PAGES = [
  'README',
  'giao-vien-bo-mon',
  'giao-vien-chu-nhiem',
  'to-truong-chuyen-mon',
  'hieu-truong',
  'van-thu',
  'can-bo-cntt',
  'hoc-sinh-phu-huynh',
  'xac-minh',
  'xu-ly-su-co',
  'english',
] as const;

export type GuidePage = (typeof GUIDE_PAGES)[number];

/** Whether a string names a guide page (exact match, case-sensitive). */
export function isGuidePage(value: string): value is GuidePage {
  return (GUIDE_PAGES as readonly string[]).includes(value);
}

/**
 * Image names the guide may reference: `images/<name>.png|jpg|svg`, lower-case ASCII, digits
 * and dashes only, so no path separator, dot-dot or encoded trick gets through.
 */
export const GUIDE_IMAGE_NAME = /^[a-z0-9][a-z0-9-]{0,120}\.(png|jpg|jpeg|svg)$/;

/** An anchor id as the guide writes them (`<a id="…"></a>`): ASCII kebab-case. */
export const GUIDE_ANCHOR = /^[a-z0-9][a-z0-9-]{0,80}$/;
