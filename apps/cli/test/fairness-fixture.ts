import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClipEngine } from '@clipguard/clip';
import { decideEmbeddings } from '@clipguard/decision';
import { loadCompiledPolicy } from '@clipguard/storage';
import {
  REPO_ROOT,
  TINY_CLIP_DIR,
  createTestDatabase,
  renderScene,
  rng,
  seedDecision,
  type Scene,
  type TestDatabase,
} from '@clipguard/testing';

/** One stored decision of the fixture, with what the specs check it against. */
export interface Seeded {
  id: string;
  png: Buffer;
  truth: string[];
  verdict: string;
  scores: Record<string, number>;
  flagged: boolean;
  size: string;
}

/** 20 red shapes, 15 stars of other colours, 25 other shapes; sizes alternate. */
function scene(i: number): { scene: Scene; truth: string[] } {
  const size = i % 2 ? 'large' : 'small';
  const others = ['circle', 'square', 'triangle', 'cross', 'heart'] as const;
  const colours = ['green', 'blue', 'yellow', 'purple', 'orange', 'black', 'white'] as const;
  if (i < 20) return { scene: { shape: others[i % 5], colour: 'red', size }, truth: ['red'] };
  if (i < 35) return { scene: { shape: 'star', colour: colours[i % 7], size }, truth: ['star'] };
  return { scene: { shape: others[i % 5], colour: colours[i % 7], size }, truth: [] };
}

/**
 * A database and policies directory for the fairness commands: tenant acme's 60 rendered shapes decided by
 * shapes-audit v1 from the tiny CLIP's real embeddings, every one resolved by a moderator with its true
 * categories (stored as the decision service and the review API store them), their images and labels CSV;
 * and tenant skewed's 80 made-up decisions whose small shapes are flagged six times as often as large ones.
 */
export class FairnessWorkspace {
  readonly tmp = mkdtempSync(join(tmpdir(), 'clipguard-fairness-cli-'));
  readonly policies = join(this.tmp, 'policies');
  readonly cacheDir = join(this.tmp, 'cache');
  readonly images = join(this.tmp, 'images');
  readonly seeded: Seeded[] = [];
  t!: TestDatabase;

  db = () => [
    '--database-url',
    `postgres://postgres@127.0.0.1:5432/${this.t.name}`,
    '--policies',
    this.policies,
  ];
  model = () => ['--model', TINY_CLIP_DIR, '--cache-dir', this.cacheDir];
  policyFile = (v: number) => join(this.policies, `shapes-audit/v${v}.yaml`);

  async setUp(): Promise<void> {
    cpSync(join(REPO_ROOT, 'test/fixtures/policies'), this.policies, { recursive: true });
    mkdirSync(this.images);
    this.t = await createTestDatabase();
    const engine = await ClipEngine.open({ modelDir: TINY_CLIP_DIR, variant: 'fp32' });
    try {
      const v1 = (await loadCompiledPolicy(engine, this.policyFile(1), this.cacheDir)).compiled;
      const rows = ['path,categories'];
      for (let i = 0; i < 60; i++) {
        const { scene: s, truth } = scene(i);
        const png = await renderScene(s, rng(500 + i));
        writeFileSync(join(this.images, `${i}.png`), png);
        rows.push(`${i}.png,${truth.join(';')}`);
        const frames = (await engine.embedImage(png)).embeddings;
        const d = decideEmbeddings(v1, frames, engine.info.logitScale);
        const id = await seedDecision(this.t.db, {
          at: new Date(Date.UTC(2026, 2, 1, 0, i)).toISOString(),
          modelId: engine.modelId,
          policy: d.policy,
          verdict: d.verdict,
          scores: d.categoryScores,
          reasons: d.reasons,
          attributes: d.attributes,
          frames,
          review: {
            trigger: d.verdict === 'review' ? 'verdict' : `sample:${d.verdict}`,
            resolve: truth.length ? 'block' : 'allow',
            labels: truth,
          },
        });
        const flagged = d.reasons.length > 0;
        this.seeded.push({
          id,
          png,
          truth,
          verdict: d.verdict,
          scores: d.categoryScores,
          flagged,
          size: d.attributes.size.value,
        });
      }
      writeFileSync(join(this.images, 'labels.csv'), `${rows.join('\n')}\n`);
      await this.seedSkewed(v1.hash);
    } finally {
      await engine.close();
    }
  }

  private async seedSkewed(hash: string): Promise<void> {
    for (let i = 0; i < 80; i++) {
      const small = i < 40;
      const flagged = small ? i < 30 : i < 45;
      await seedDecision(this.t.db, {
        at: new Date(Date.UTC(2026, 2, 2, 0, i)).toISOString(),
        tenant: 'skewed',
        policy: { id: 'shapes-audit', version: 1, hash },
        verdict: flagged ? 'block' : 'allow',
        scores: { red: flagged ? 0.9 : 0.1 },
        reasons: flagged ? [{ category: 'red', verdict: 'block' }] : [],
        attributes: {
          size: { value: small ? 'small' : 'large', confidence: 0.9, margin: 0.05 + (i % 10) / 10 },
        },
      });
    }
  }

  async tearDown(): Promise<void> {
    await this.t?.drop();
    rmSync(this.tmp, { recursive: true, force: true });
  }
}
