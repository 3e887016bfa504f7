import { Inject, Injectable } from '@nestjs/common';
import { fairnessJson } from '@clipguard/audit';
import { tenantConfig, type AppEnv, type TenantsFile } from '@clipguard/config';
import { ApiError, type PolicyRefInput } from '@clipguard/contracts';
import { ENV, TENANTS } from '@clipguard/infra';
import { PolicyError, type ParsedPolicy } from '@clipguard/policy';
import {
  FairnessRepository,
  FairnessWindowTooLargeError,
  PolicyVersions,
  driftOf,
  fairnessOf,
  type DriftReport,
} from '@clipguard/storage';

const HOUR_MS = 3_600_000;

export interface ReportRequest {
  tenant: string;
  policy?: PolicyRefInput;
  since?: Date;
  until?: Date;
}

/** Fairness figures and drift of one tenant's decisions by one policy version, for the API and console. */
@Injectable()
export class FairnessService {
  constructor(
    private readonly repo: FairnessRepository,
    private readonly versions: PolicyVersions,
    @Inject(TENANTS) private readonly tenants: TenantsFile,
    @Inject(ENV) private readonly env: AppEnv,
  ) {}

  /** The report's JSON (the same document `clipguard report fairness` writes as fairness.json). */
  async report(r: ReportRequest): Promise<unknown> {
    const parsed = this.policyFor(r.tenant, r.policy);
    const window = this.window(r);
    const { figures } = await this.guard(() =>
      fairnessOf(this.repo, parsed.policy, { tenant: r.tenant, ...window }, this.settings()),
    );
    return JSON.parse(
      fairnessJson(figures, { tenant: r.tenant, window, generatedAt: new Date() }),
    ) as unknown;
  }

  /** Daily score histograms and verdict shares, and the PSI against the version's first week. */
  async drift(r: ReportRequest): Promise<DriftReport> {
    const parsed = this.policyFor(r.tenant, r.policy);
    const window = this.window(r);
    return this.guard(async () => {
      const w = { tenant: r.tenant, ...window };
      const { decisions } = await fairnessOf(this.repo, parsed.policy, w, this.settings());
      return driftOf(this.repo, parsed.policy, w, decisions, {
        bins: this.env.CLIPGUARD_DRIFT_BINS,
        level: this.env.CLIPGUARD_DRIFT_PSI_LEVEL,
        baselineDays: this.env.CLIPGUARD_DRIFT_BASELINE_DAYS,
        maxDecisions: this.env.CLIPGUARD_FAIRNESS_MAX_DECISIONS,
      });
    });
  }

  /** `ID@vN`; `ID` alone: the tenant's live version of it, else its newest; nothing: the live version. */
  private policyFor(tenant: string, ref: PolicyRefInput | undefined): ParsedPolicy {
    const live = tenantConfig(this.tenants, tenant)?.policy;
    try {
      if (ref?.version !== undefined) return this.versions.get(ref.id, ref.version);
      if (live && (!ref || ref.id === live.id)) return this.versions.get(live.id, live.version);
      if (ref) return this.versions.newest(ref.id);
    } catch (err) {
      if (err instanceof PolicyError && err.code === 'POLICY_NOT_FOUND')
        throw new ApiError(
          'POLICY_NOT_FOUND',
          err.message.replace(this.versions.dir, 'the policies directory'),
        );
      throw err;
    }
    throw new ApiError(
      'POLICY_NOT_FOUND',
      `tenant ${tenant} has no live policy; name one with ?policy=ID@vN`,
    );
  }

  /** Until now (or `until`), since CLIPGUARD_FAIRNESS_WINDOW_HOURS before it (or `since`). */
  private window(r: ReportRequest): { since: Date; until: Date } {
    const until = r.until ?? new Date();
    const since = r.since ?? new Date(until.getTime() - this.env.CLIPGUARD_FAIRNESS_WINDOW_HOURS * HOUR_MS);
    return { since, until };
  }

  private settings() {
    return {
      minGroupSize: this.env.CLIPGUARD_FAIRNESS_MIN_GROUP_SIZE,
      maxDecisions: this.env.CLIPGUARD_FAIRNESS_MAX_DECISIONS,
    };
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof FairnessWindowTooLargeError) throw new ApiError('QUERY_INVALID', err.message);
      throw err;
    }
  }
}
