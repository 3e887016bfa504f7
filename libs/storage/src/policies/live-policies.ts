import { tenantConfig, type TenantsFile } from '@clipguard/config';
import { PolicyError, type CompiledPolicy, type Policy } from '@clipguard/policy';
import type { PolicyCatalog } from './policy-catalog';

export interface LivePolicy<T = CompiledPolicy> {
  live: T;
  shadow?: T;
}

/** Resolves each tenant's live (and shadow) policy version against the loaded catalog. */
export class LivePolicies<T extends { policy: Policy; hash: string } = CompiledPolicy> {
  constructor(
    private readonly catalog: PolicyCatalog<T>,
    private readonly tenants: TenantsFile,
  ) {}

  forTenant(tenant: string): LivePolicy<T> {
    const config = tenantConfig(this.tenants, tenant);
    if (!config) throw new PolicyError('POLICY_NOT_FOUND', `unknown tenant "${tenant}"`);
    const { id, version, shadow } = config.policy;
    return {
      live: this.catalog.require(id, version),
      shadow: shadow === undefined ? undefined : this.catalog.require(id, shadow),
    };
  }

  /** Stops the catalog's reload polling. */
  stop(): void {
    this.catalog.stop();
  }

  /** Startup check: every referenced version is loaded; lists each missing one. */
  check(): void {
    const missing = Object.entries(this.tenants.tenants).flatMap(([name, t]) =>
      [t.policy.version, t.policy.shadow]
        .filter((v): v is number => v !== undefined && !this.catalog.get(t.policy.id, v))
        .map((v) => `${name}: ${t.policy.id} v${v}`),
    );
    if (missing.length)
      throw new PolicyError('POLICY_NOT_FOUND', `policy versions not loaded: ${missing.join(', ')}`);
  }
}
