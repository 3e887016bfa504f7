import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { ClipError } from '@clipguard/clip';
import { SHARED_IMAGES } from '@clipguard/testing';
import { DIHEDRAL_VARIANTS } from './dct';
import { SHARED_CORE, SHARED_TOOL, SYNTHETIC_CORE, SYNTHETIC_TOOL } from './meta-reference.fixture';
import { pdqDihedralFromPixels, pdqFromPixels, type RawPixels } from './pdq';
import { PDQ_MIN_QUALITY, pdqDistance, pdqFromHex, pdqToHex } from './pdq-hash';
import { pdqDihedralHashImage, pdqHashImage } from './pdq-image';
import { syntheticImages } from './synthetic-images';

/** Meta's pdq/README.md: implementations agree within 10 bits on hashes of quality ≥ 80. */
const META_TOLERANCE = 10;
const read = (name: string) => readFileSync(join(SHARED_IMAGES, name));

async function sharpPixels(bytes: Uint8Array): Promise<RawPixels> {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

describe('PDQ core against Meta’s C++ reference on the same pixels', () => {
  it.each(syntheticImages().map((s) => [s.name, s] as const))(
    '%s: identical hash, quality and all eight dihedral hashes',
    (name, { pixels }) => {
      const expected = SYNTHETIC_CORE[name];
      const result = pdqFromPixels(pixels);
      expect(pdqToHex(result.hash)).toBe(expected.hash);
      expect(result.quality).toBe(expected.quality);
      const dihedral = pdqDihedralFromPixels(pixels);
      for (const variant of DIHEDRAL_VARIANTS) {
        expect([variant, pdqToHex(dihedral.hashes[variant])]).toEqual([variant, expected.dihedral[variant]]);
      }
    },
  );

  it.each(Object.keys(SHARED_CORE))('%s decoded by sharp: identical hash and quality', async (name) => {
    const result = pdqFromPixels(await sharpPixels(read(name)));
    expect(pdqToHex(result.hash)).toBe(SHARED_CORE[name].hash);
    expect(result.quality).toBe(SHARED_CORE[name].quality);
  });
});

describe('pdqHashImage against Meta’s pdq-photo-hasher tool', () => {
  // The 16-bit TIFF holds samples 0–255 of 65535: sharp scales it to an almost black 8-bit image (quality
  // 0, never matched) while the C++ tool's CImg<uint8_t> keeps the low bytes; see docs/banks.md.
  const sixteenBit = ['chessboard_GRAY_U16.tif'];
  const compared = Object.keys(SHARED_TOOL).filter(
    (name) => SHARED_TOOL[name].quality >= 80 && !sixteenBit.includes(name),
  );

  it.each(compared)('%s is within Meta’s 10-bit tolerance', async (name) => {
    const result = await pdqHashImage(read(name));
    expect(pdqDistance(result.hash, pdqFromHex(SHARED_TOOL[name].hash))).toBeLessThanOrEqual(META_TOLERANCE);
    expect(result.quality).toBeGreaterThanOrEqual(80);
  });

  it('hashes the 16-bit TIFF as the near-black image sharp decodes, of quality 0', async () => {
    expect((await pdqHashImage(read(sixteenBit[0]))).quality).toBe(0);
  });

  it('covers the large, grey, alpha, palette and JPEG shared images', () => {
    expect(compared).toEqual(
      expect.arrayContaining(['CLIP.png', 'coffee.png', 'camera.png', 'horse.png', 'rocket.jpg']),
    );
  });

  it.each(syntheticImages().map((s) => [s.name, s] as const))(
    '%s as a PNG: the tool’s exact hash (large-waves goes through the 512×512 resize)',
    async (name, { pixels }) => {
      const { width, height, channels } = pixels;
      const png = await sharp(pixels.data, { raw: { width, height, channels } }).png().toBuffer();
      const result = await pdqHashImage(png);
      expect(pdqToHex(result.hash)).toBe(SYNTHETIC_TOOL[name].hash);
      expect(result.quality).toBe(SYNTHETIC_TOOL[name].quality);
    },
  );
});

describe('PDQ quality', () => {
  it('scores flat and faint images below Meta’s threshold of 50, textured ones above it', () => {
    const quality = (name: string) => SYNTHETIC_CORE[name].quality;
    expect(quality('flat')).toBe(0);
    expect(quality('waves-16')).toBeLessThan(PDQ_MIN_QUALITY);
    expect(quality('waves-17')).toBeGreaterThanOrEqual(PDQ_MIN_QUALITY);
    const byName = new Map(syntheticImages().map((s) => [s.name, s.pixels]));
    expect(pdqFromPixels(byName.get('waves-16')!).quality).toBe(48);
    expect(pdqFromPixels(byName.get('waves-17')!).quality).toBe(52);
  });

  it('gives an all-zero hash of quality 0 below 5 pixels on a side, as the reference does', () => {
    const result = pdqFromPixels({
      data: new Uint8Array(4 * 40 * 3).fill(90),
      width: 4,
      height: 40,
      channels: 3,
    });
    expect(pdqToHex(result.hash)).toBe('0'.repeat(64));
    expect(result.quality).toBe(0);
  });
});

describe('PDQ robustness and dihedral variants', () => {
  it('a horizontal mirror is far from the original but close to its flipY variant', async () => {
    const bytes = read('chelsea.png');
    const original = await pdqDihedralHashImage(bytes);
    const mirrored = await pdqHashImage(await sharp(bytes).flop().png().toBuffer());
    expect(pdqDistance(mirrored.hash, original.hashes.original)).toBeGreaterThan(100);
    expect(pdqDistance(mirrored.hash, original.hashes.flipY)).toBeLessThanOrEqual(31);
  });

  it('a JPEG re-encode stays within a few bits', async () => {
    const bytes = read('astronaut.png');
    const original = await pdqHashImage(bytes);
    const reencoded = await pdqHashImage(await sharp(bytes).jpeg({ quality: 75 }).toBuffer());
    expect(pdqDistance(original.hash, reencoded.hash)).toBeLessThanOrEqual(META_TOLERANCE);
  });
});

describe('PDQ input errors', () => {
  it.each([
    ['an empty file', new Uint8Array(0), 'IMAGE_EMPTY'],
    ['text', new TextEncoder().encode('not an image at all'), 'IMAGE_UNSUPPORTED'],
    ['a truncated JPEG', read('truncated.jpg'), 'IMAGE_CORRUPT'],
  ])('%s is refused with a ClipError %s', async (_what, bytes, code) => {
    const error = await pdqHashImage(bytes).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ClipError);
    expect((error as ClipError).code).toBe(code);
  });

  it('honours the byte and pixel limits', async () => {
    const bytes = read('astronaut.png');
    const limits = { maxBytes: 1000, maxInputPixels: 40_000_000, maxFrames: 1 };
    await expect(pdqHashImage(bytes, limits)).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE' });
    await expect(
      pdqHashImage(bytes, { maxBytes: 10_000_000, maxInputPixels: 1000, maxFrames: 1 }),
    ).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE' });
  });
});
