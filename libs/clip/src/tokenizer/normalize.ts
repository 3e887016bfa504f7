import { decodeHTML } from 'entities';

const CURLY_QUOTES: Record<string, string> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201b': "'",
  '\u2032': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u201f': '"',
  '\u2033': '"',
};
const LIGATURES: Record<string, string> = {
  '\u0132': 'IJ',
  '\u0133': 'ij',
  '\u01c7': 'LJ',
  '\u01c8': 'Lj',
  '\u01c9': 'lj',
  '\u01ca': 'NJ',
  '\u01cb': 'Nj',
  '\u01cc': 'nj',
  '\ufb00': 'ff',
  '\ufb01': 'fi',
  '\ufb02': 'fl',
  '\ufb03': 'ffi',
  '\ufb04': 'ffl',
  '\ufb05': 'ſt',
  '\ufb06': 'st',
};

/**
 * The reference's `basic_clean` + `whitespace_clean` + `lower()`.
 * `ftfy.fix_text` is approximated by the fixes it applies to well-formed text (quotes, ligatures,
 * full-width forms, control characters, NFC); its mojibake repair has no JavaScript port and is left out:
 * it changes only text that was mis-decoded before it reached us.
 */
export function normalizeText(text: string): string {
  let t = text.replace(
    /[\u2018\u2019\u201a\u201b\u2032\u201c\u201d\u201e\u201f\u2033]/g,
    (c) => CURLY_QUOTES[c],
  );
  t = t.replace(/[\u0132\u0133\u01c7-\u01cc\ufb00-\ufb06]/g, (c) => LIGATURES[c]);
  // Full-width ASCII and half-width katakana to their usual forms, as ftfy's fix_character_width does.
  t = t.replace(/[\uff01-\uff5e\u3000\uff61-\uff9f]/g, (c) => c.normalize('NFKC'));
  t = t.replace(/\r\n|\r|\u2028|\u2029|\u0085/g, '\n');
  // eslint-disable-next-line no-control-regex
  t = t.replace(/[\u0000-\u0008\u000b\u000e-\u001f\u007f\u200b\ufeff\ufffe\uffff]/g, '');
  t = t.normalize('NFC');
  t = decodeHTML(decodeHTML(t)).trim();
  return t.replace(/\s+/g, ' ').trim().toLowerCase();
}
