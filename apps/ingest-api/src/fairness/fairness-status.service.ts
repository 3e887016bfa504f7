import { Inject, Injectable } from '@nestjs/common';
import type { TenantsFile } from '@clipguard/config';
import { TENANTS } from '@clipguard/infra';
import { FairnessAuditRepository, fairnessRef } from '@clipguard/storage';

export interface FairnessStatus {
  tenant: string;
  policy: string;
  /** The newest scheduled run's slot, decisions and alerts; null before the first run. */
  last: { slot: unknown; decisions: unknown; alerts: number; breach: boolean } | null;
  /** Categories (null: the verdict mix) whose PSI passed the level in that same run. */
  drifted: unknown[];
}

/**
 * What the decision service's fairness job last found for each tenant's live policy version, read from
 * the audit log: the readiness details show breaches so an operator can alert on them.
 */
@Injectable()
export class FairnessStatusService {
  constructor(
    private readonly audit: FairnessAuditRepository,
    @Inject(TENANTS) private readonly tenants: TenantsFile,
  ) {}

  async status(): Promise<FairnessStatus[]> {
    const live = Object.entries(this.tenants.tenants).map(([tenant, t]) => ({
      tenant,
      ref: fairnessRef(tenant, t.policy),
      policy: `${t.policy.id}@v${t.policy.version}`,
    }));
    const refs = live.map((l) => l.ref);
    const [fairness, drift] = await Promise.all([
      this.audit.latest('fairness', refs),
      this.audit.latest('drift', refs),
    ]);
    return live.map(({ tenant, ref, policy }) => {
      const f = fairness.find((e) => e.ref === ref)?.body;
      const d = drift.find((e) => e.ref === ref)?.body;
      const alerts = Array.isArray(f?.alerts) ? f.alerts.length : 0;
      const current = d !== undefined && f !== undefined && d.slot === f.slot;
      return {
        tenant,
        policy,
        last: f ? { slot: f.slot, decisions: f.decisions, alerts, breach: alerts > 0 } : null,
        drifted: current && Array.isArray(d.drifted) ? d.drifted : [],
      };
    });
  }
}
