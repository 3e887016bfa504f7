import type { Logger } from 'pino';
import { compareBaselines, parseBaseline, type FairnessBaseline } from '@clipguard/audit';
import { baselineRef, type FairnessAuditRepository, type PolicyVersions } from '@clipguard/storage';

export const BASELINE_SUFFIX = '.fairness.json';

interface Activated {
  policy: { id: string; version: number };
  hash: string;
}

/**
 * At a policy version's activation, records its fairness baseline (`v<N>.fairness.json` beside the
 * version's file, written by `clipguard policy eval --fairness`) as a `fairness_baseline` audit entry, once,
 * with its disparity beside the previous version's baseline. A baseline measured on other content (the
 * version's file changed since) is refused: its hash must be the loaded version's.
 */
export class BaselineRecorder {
  constructor(
    private readonly versions: PolicyVersions,
    private readonly audit: FairnessAuditRepository,
    private readonly logger: Logger,
  ) {}

  async record(loaded: readonly Activated[]): Promise<void> {
    const ordered = [...loaded].sort(
      (a, b) => a.policy.id.localeCompare(b.policy.id) || a.policy.version - b.policy.version,
    );
    for (const v of ordered) {
      try {
        await this.recordOne(v);
      } catch (err) {
        this.logger.warn(
          { policy: v.policy, err: err instanceof Error ? err.message : String(err) },
          'fairness baseline not recorded',
        );
      }
    }
  }

  private async recordOne({ policy, hash }: Activated): Promise<void> {
    const text = this.versions.companion(policy.id, policy.version, BASELINE_SUFFIX);
    if (text === undefined) return;
    const where = `${policy.id}/v${policy.version}${BASELINE_SUFFIX}`;
    const baseline = parseBaseline(JSON.parse(text) as unknown, where);
    if (baseline.policy.hash !== hash || baseline.policy.version !== policy.version)
      throw new Error(`${where} was measured on other content (hash ${baseline.policy.hash.slice(0, 12)})`);
    const previous = await this.previous(policy);
    const comparison = compareBaselines(previous, baseline);
    const appended = await this.audit.appendOnce({
      kind: 'fairness_baseline',
      ref: baselineRef({ ...policy, hash }),
      body: { baseline: { ...baseline }, comparison: { ...comparison } },
    });
    if (appended)
      this.logger.info(
        { policy, previous: comparison.previous?.version ?? null, alerts: comparison.alerts },
        'fairness baseline recorded',
      );
  }

  /** The recorded baseline of the highest earlier version of the same policy. */
  private async previous(policy: { id: string; version: number }): Promise<FairnessBaseline | undefined> {
    const entries = await this.audit.withRefPrefix('fairness_baseline', `${policy.id}@v`);
    return entries
      .map((e) => parseBaseline(e.body.baseline, `audit entry ${e.seq}`))
      .filter((b) => b.policy.version < policy.version)
      .sort((a, b) => b.policy.version - a.policy.version)[0];
  }
}
