import sharp from 'sharp';
import { makeBank } from '../matching/testing';
import { pdqHashImage } from '../pdq/pdq-image';
import { pdqToHex } from '../pdq/pdq-hash';
import { syntheticImages } from '../pdq/synthetic-images';
import { entryValueFor, sha256Of } from './entry-input';

const code = (c: string) => expect.objectContaining({ code: c }) as Error;
const HEX = 'd8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22';

async function png(name: string): Promise<Buffer> {
  const { pixels } = syntheticImages().find((s) => s.name === name)!;
  const { width, height, channels } = pixels;
  return sharp(Buffer.from(pixels.data), { raw: { width, height, channels } }).png().toBuffer();
}

describe('entryValueFor', () => {
  const sha = makeBank({ id: 's', kind: 'sha256', action: 'block' });
  const pdq = makeBank({ id: 'p', kind: 'pdq', action: 'block' });
  const emb = makeBank({ id: 'e', kind: 'embedding', action: 'allow' });

  it('hashes an image as each bank needs it', async () => {
    const image = await png('waves');
    expect(await entryValueFor(sha, { image })).toEqual({ kind: 'sha256', sha256: sha256Of(image) });
    const value = await entryValueFor(pdq, { image });
    const reference = await pdqHashImage(image);
    expect(value.kind === 'pdq' && pdqToHex(value.hash)).toBe(pdqToHex(reference.hash));
    const embeddingOf = jest.fn().mockResolvedValue(Float32Array.from([0, 3, 4]));
    const e = await entryValueFor(emb, { image }, { embeddingOf });
    expect(embeddingOf).toHaveBeenCalledWith(image, sha256Of(image), 'model-a');
    expect(e.kind === 'embedding' && Array.from(e.vector)).toEqual([
      0, 0.6000000238418579, 0.800000011920929,
    ]);
  });

  it('refuses an image for an embedding bank when no embedding is at hand', async () => {
    await expect(entryValueFor(emb, { image: await png('waves') })).rejects.toThrow(
      code('EMBEDDING_UNAVAILABLE'),
    );
  });

  it('refuses a flat image for a PDQ bank (quality below 50)', async () => {
    const flat = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#777' } })
      .png()
      .toBuffer();
    await expect(entryValueFor(pdq, { image: flat })).rejects.toThrow(code('PDQ_LOW_QUALITY'));
  });

  it('takes hashes and embeddings as given, of the bank’s kind and model only', async () => {
    expect(await entryValueFor(pdq, { pdq: HEX.toUpperCase(), quality: 80 })).toMatchObject({ quality: 80 });
    await expect(entryValueFor(sha, { pdq: HEX })).rejects.toThrow(code('BANK_KIND_MISMATCH'));
    await expect(entryValueFor(sha, { sha256: 'xyz' })).rejects.toThrow(code('SHA256_INVALID'));
    await expect(entryValueFor(pdq, { pdq: 'abc' })).rejects.toThrow(code('PDQ_HASH_INVALID'));
    await expect(entryValueFor(emb, { embedding: [1, 0], modelId: 'model-b' })).rejects.toThrow(
      code('EMBEDDING_INVALID'),
    );
    expect(await entryValueFor(emb, { embedding: [2, 0] })).toMatchObject({ modelId: 'model-a' });
  });
});
