import sharp from 'sharp';

/**
 * Small WebP thumbnails as data URIs, so the report stays one file: first frame, EXIF-rotated, fitted in
 * `size`×`size`. An image that cannot be thumbnailed is left out (the report shows its path alone).
 */
export async function thumbnails(paths: Iterable<string>, size = 96): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const path of new Set(paths)) {
    try {
      const webp = await sharp(path, { pages: 1, limitInputPixels: 100_000_000 })
        .rotate()
        .resize(size, size, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 70 })
        .toBuffer();
      out.set(path, `data:image/webp;base64,${webp.toString('base64')}`);
    } catch {
      // The engine already reported unreadable images; a thumbnail is a convenience.
    }
  }
  return out;
}
