import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { pdqDihedralHashImage, pdqDistance, pdqHashImage } from '@clipguard/banks';

export interface RobustnessRow {
  image: string;
  quality: number;
  distances: Record<string, number>;
}

const EDITS: Record<string, (img: Sharp, w: number, h: number) => Sharp> = {
  'JPEG q75': (img) => img.jpeg({ quality: 75 }),
  'JPEG q50': (img) => img.jpeg({ quality: 50 }),
  'resize 50%': (img, w) => img.resize(Math.round(w / 2)).png(),
  'resize 150%': (img, w) => img.resize(Math.round(w * 1.5)).png(),
  'crop 1%/side': (img, w, h) => crop(img, w, h, 0.01),
  'crop 2.5%/side': (img, w, h) => crop(img, w, h, 0.025),
  mirror: (img) => img.flop().png(),
};

function crop(img: Sharp, w: number, h: number, f: number): Sharp {
  const left = Math.round(w * f);
  const top = Math.round(h * f);
  return img.extract({ left, top, width: w - 2 * left, height: h - 2 * top }).png();
}

/** PDQ distance between each shared image and edited copies of it. */
export async function measureRobustness(dir: string, names: string[]): Promise<RobustnessRow[]> {
  const rows: RobustnessRow[] = [];
  for (const image of names) {
    const bytes = readFileSync(join(dir, image));
    const base = await pdqDihedralHashImage(bytes);
    const { width, height } = await sharp(bytes).metadata();
    const distances: Record<string, number> = {};
    for (const [edit, apply] of Object.entries(EDITS)) {
      const edited = await apply(sharp(bytes), width, height).toBuffer();
      const hash = (await pdqHashImage(edited)).hash;
      distances[edit] = pdqDistance(hash, base.hashes.original);
      if (edit === 'mirror') {
        distances['mirror, dihedral'] = Math.min(
          ...Object.values(base.hashes).map((h) => pdqDistance(hash, h)),
        );
      }
    }
    rows.push({ image, quality: base.quality, distances });
  }
  return rows;
}
