/**
 * GPT-2 / CLIP byte-level alphabet: each of the 256 byte values maps to one printable unicode character,
 * so BPE can work on strings without whitespace or control characters.
 */
function buildByteToUnicode(): { table: string[]; alphabet: string[] } {
  const printable: number[] = [];
  const ranges: [number, number][] = [
    [0x21, 0x7e],
    [0xa1, 0xac],
    [0xae, 0xff],
  ];
  for (const [lo, hi] of ranges) for (let b = lo; b <= hi; b++) printable.push(b);
  const table: string[] = new Array<string>(256);
  const alphabet: string[] = [];
  for (const b of printable) alphabet.push((table[b] = String.fromCharCode(b)));
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (table[b] === undefined) alphabet.push((table[b] = String.fromCharCode(256 + n++)));
  }
  return { table, alphabet };
}

const built = buildByteToUnicode();
/** Indexed by byte value. */
export const BYTE_TO_UNICODE: readonly string[] = built.table;
/** The same characters in the reference's vocabulary order (printable bytes first). */
export const BYTE_ALPHABET: readonly string[] = built.alphabet;
