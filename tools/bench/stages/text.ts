import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClipEngine } from '@clipguard/clip';
import { loadCompiledPolicy } from '@clipguard/storage';

export interface TextResult {
  config: { policy: string; prompts: number; texts: number; intraOpThreads: number; maxBatch: number };
  coldMs: number;
  textsPerSecond: number;
  cachedMs: number;
}

/**
 * The text side: compiling a policy (every prompt × template through the text tower, then ensembled),
 * cold, and again from the compiled-policy disk cache as a restart finds it.
 */
export async function measureText(options: {
  modelDir: string;
  policy: string;
  cores: number;
  maxBatch: number;
}): Promise<TextResult> {
  const cacheDir = mkdtempSync(join(tmpdir(), 'clipguard-bench-policy-'));
  const open = () =>
    ClipEngine.open({
      modelDir: options.modelDir,
      variant: 'fp32',
      intraOpThreads: options.cores,
      maxBatch: options.maxBatch,
    });
  try {
    const cold = await open();
    let coldMs: number;
    let prompts: number;
    let texts: number;
    try {
      const started = performance.now();
      const { compiled, cached } = await loadCompiledPolicy(cold, options.policy, cacheDir);
      coldMs = performance.now() - started;
      if (cached) throw new Error('the cold compile found a cache entry');
      prompts = compiled.prompts.length;
      texts = compiled.prompts.length * compiled.policy.templates.length;
    } finally {
      await cold.close();
    }
    // A fresh engine (empty in-memory text cache), as after a restart: only the disk cache helps.
    const warm = await open();
    try {
      const started = performance.now();
      const { cached } = await loadCompiledPolicy(warm, options.policy, cacheDir);
      const cachedMs = performance.now() - started;
      if (!cached) throw new Error('the second compile missed the cache');
      return {
        config: {
          policy: options.policy,
          prompts,
          texts,
          intraOpThreads: options.cores,
          maxBatch: options.maxBatch,
        },
        coldMs,
        textsPerSecond: (texts / coldMs) * 1000,
        cachedMs,
      };
    } finally {
      await warm.close();
    }
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
