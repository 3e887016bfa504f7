import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { seededRandom } from '@clipguard/policy';
import { mapConcurrent } from '@clipguard/queue';

/** Photographs from ../shared/images the corpus is cut from (read there, never copied into the repo). */
const SOURCES = [
  'astronaut.png',
  'chelsea.png',
  'coffee.png',
  'rocket.jpg',
  'motorcycle_right.png',
  'camera.png',
  'coins.png',
  'hubble_deep_field.jpg',
  'horse.png',
];

/**
 * Real-size JPEG uploads (1–4 megapixels, varied aspect, tint and quality) generated once from
 * photographs and kept in the bench cache: what a platform's users upload, at the size they upload it.
 */
export async function ensureCorpus(options: {
  dir: string;
  count: number;
  sharedImages: string;
  log: (line: string) => void;
}): Promise<string[]> {
  const { dir, count } = options;
  const done = join(dir, `.complete-${count}`);
  if (!existsSync(done)) {
    const started = performance.now();
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const random = seededRandom(2026);
    const specs = Array.from({ length: count }, (_, i) => ({
      i,
      source: SOURCES[i % SOURCES.length],
      megapixels: 1 + 3 * random(),
      aspect: 0.6 + 1.2 * random(),
      hue: Math.round(random() * 60 - 30),
      saturation: 0.7 + 0.6 * random(),
      brightness: 0.85 + 0.3 * random(),
      flip: random() < 0.5,
      quality: 80 + Math.round(random() * 15),
    }));
    await mapConcurrent(specs, 4, async (s) => {
      const width = Math.round(Math.sqrt(s.megapixels * 1e6 * s.aspect));
      const height = Math.round((s.megapixels * 1e6) / width);
      let image = sharp(join(options.sharedImages, s.source))
        .removeAlpha()
        .resize(width, height, { fit: 'cover' })
        .modulate({ hue: s.hue, saturation: s.saturation, brightness: s.brightness });
      if (s.flip) image = image.flop();
      const bytes = await image.jpeg({ quality: s.quality }).toBuffer();
      const name = `upload-${String(s.i).padStart(4, '0')}.jpg`;
      writeFileSync(join(dir, `${name}.tmp`), bytes);
      renameSync(join(dir, `${name}.tmp`), join(dir, name));
    });
    writeFileSync(done, '');
    options.log(
      `  corpus: ${count} JPEGs written to ${dir} in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
  }
  return readdirSync(dir)
    .filter((n) => n.endsWith('.jpg'))
    .sort()
    .map((n) => join(dir, n));
}
