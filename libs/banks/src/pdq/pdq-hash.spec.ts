import { pdqBit, pdqDistance, pdqFromHex, pdqToHex, popcount32 } from './pdq-hash';

describe('PDQ hash text form and distance', () => {
  // Meta's text form prints the 16-bit word holding bits 240–255 first (Hash256::format).
  it('reads the most significant hex digits as the highest bits', () => {
    const hash = pdqFromHex(`8${'0'.repeat(62)}1`);
    expect(pdqBit(hash, 255)).toBe(true);
    expect(pdqBit(hash, 0)).toBe(true);
    expect(pdqBit(hash, 1)).toBe(false);
    expect(pdqToHex(hash)).toBe(`8${'0'.repeat(62)}1`);
  });

  it('round-trips a published hash (Meta’s bridge sample) and normalises case', () => {
    const text = 'd8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22';
    expect(pdqToHex(pdqFromHex(text.toUpperCase()))).toBe(text);
  });

  it('counts differing bits', () => {
    expect(popcount32(0xffffffff)).toBe(32);
    expect(popcount32(0x80000001)).toBe(2);
    const a = pdqFromHex('f'.repeat(64));
    const b = pdqFromHex('0'.repeat(64));
    expect(pdqDistance(a, b)).toBe(256);
    expect(pdqDistance(a, pdqFromHex(`${'f'.repeat(63)}e`))).toBe(1);
  });

  it.each(['', 'xyz', 'f'.repeat(63), 'g'.repeat(64), `${'0'.repeat(64)} `])(
    'refuses %j with PDQ_HASH_INVALID',
    (text) => {
      let error: unknown;
      try {
        pdqFromHex(text);
      } catch (err) {
        error = err;
      }
      expect(error).toMatchObject({ code: 'PDQ_HASH_INVALID' });
    },
  );
});
