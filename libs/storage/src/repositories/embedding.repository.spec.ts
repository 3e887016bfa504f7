import { createTestDatabase, type TestDatabase } from '@clipguard/testing';
import { EmbeddingRepository } from './embedding.repository';

describe('EmbeddingRepository (PostgreSQL)', () => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it('gives back the stored frames of a content and model, split by frame', async () => {
    const frames = [
      [1, 0, 0, 0],
      [0, 0.5, 0.5, 0],
      [0, 0, 0, -1],
    ];
    await t.db
      .insertInto('embeddings')
      .values({
        content_sha256: 'a'.repeat(64),
        model_id: 'tiny-model',
        frames: 3,
        vectors: Buffer.from(Float32Array.from(frames.flat()).buffer),
      })
      .execute();

    const found = await new EmbeddingRepository(t.db).find('a'.repeat(64), 'tiny-model');

    expect(found?.map((f) => Array.from(f))).toEqual(frames);
  });

  it('gives back nothing for content this model has not seen', async () => {
    const embeddings = new EmbeddingRepository(t.db);

    expect(await embeddings.find('a'.repeat(64), 'another-model')).toBeUndefined();
    expect(await embeddings.find('b'.repeat(64), 'tiny-model')).toBeUndefined();
  });
});
