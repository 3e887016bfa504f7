import type { Kysely } from 'kysely';
import { decodeFloats } from '@clipguard/contracts';
import type { Database } from '../db/schema';

/** Stored image embeddings, by content and model: a repeated image is never encoded twice. */
export class EmbeddingRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The frames' embeddings, or undefined when this model has not seen these bytes. */
  async find(contentSha256: string, modelId: string): Promise<Float32Array[] | undefined> {
    const row = await this.db
      .selectFrom('embeddings')
      .select(['frames', 'vectors'])
      .where('content_sha256', '=', contentSha256)
      .where('model_id', '=', modelId)
      .executeTakeFirst();
    if (!row) return undefined;
    const all = decodeFloats(row.vectors);
    const dim = all.length / row.frames;
    return Array.from({ length: row.frames }, (_, i) => all.slice(i * dim, (i + 1) * dim));
  }
}
