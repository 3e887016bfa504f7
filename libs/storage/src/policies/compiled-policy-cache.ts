import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { compilePolicy, type CompiledPolicy, type ParsedPolicy, type PromptRow } from '@clipguard/policy';

const cachedSchema = z.object({
  hash: z.string(),
  modelId: z.string(),
  dim: z.number().int().positive(),
  prompts: z.array(
    z.object({ text: z.string(), kind: z.string(), owner: z.string(), threshold: z.number().optional() }),
  ),
  /** Float32 little-endian, prompts × dim, base64. */
  embeddings: z.string(),
});

export type PromptEmbedder = (texts: string[], templates: readonly string[]) => Promise<Float32Array[]>;

/**
 * Compiled prompt embeddings on disk, keyed by (policy hash, model id): a restart with an unchanged
 * policy and model costs no text-encoder time.
 */
export class CompiledPolicyCache {
  constructor(private readonly dir: string) {}

  private path(hash: string, modelId: string): string {
    return join(this.dir, `${hash.slice(0, 32)}-${modelId.replace(/[^a-zA-Z0-9._-]+/g, '_')}.json`);
  }

  read(parsed: ParsedPolicy, modelId: string): CompiledPolicy | undefined {
    const path = this.path(parsed.hash, modelId);
    if (!existsSync(path)) return undefined;
    const cached = cachedSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!cached.success || cached.data.hash !== parsed.hash || cached.data.modelId !== modelId)
      return undefined;
    const { dim, prompts } = cached.data;
    const bytes = Buffer.from(cached.data.embeddings, 'base64');
    const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    if (all.length !== prompts.length * dim) return undefined;
    const embeddings = prompts.map((_, i) => all.slice(i * dim, (i + 1) * dim));
    return { policy: parsed.policy, hash: parsed.hash, modelId, prompts: prompts as PromptRow[], embeddings };
  }

  write(compiled: CompiledPolicy): void {
    mkdirSync(this.dir, { recursive: true });
    const dim = compiled.embeddings[0]?.length ?? 0;
    const all = new Float32Array(compiled.embeddings.length * dim);
    compiled.embeddings.forEach((e, i) => all.set(e, i * dim));
    const body = {
      hash: compiled.hash,
      modelId: compiled.modelId,
      dim,
      prompts: compiled.prompts,
      embeddings: Buffer.from(all.buffer).toString('base64'),
    };
    const path = this.path(compiled.hash, compiled.modelId);
    // Write then rename, so a crash never leaves a half-written cache entry behind.
    writeFileSync(`${path}.tmp`, JSON.stringify(body));
    renameSync(`${path}.tmp`, path);
  }

  async compile(
    parsed: ParsedPolicy,
    modelId: string,
    embed: PromptEmbedder,
  ): Promise<{ compiled: CompiledPolicy; cached: boolean }> {
    const hit = this.read(parsed, modelId);
    if (hit) return { compiled: hit, cached: true };
    const compiled = await compilePolicy(parsed.policy, parsed.hash, modelId, embed);
    this.write(compiled);
    return { compiled, cached: false };
  }
}
