import { tenantConfig, type TenantsFile } from '@clipguard/config';
import type { ActionCallback } from '@clipguard/storage';

/** The signed `moderation.reviewed` callback: the human verdict and labels, by review id. */
export function reviewedCallback(
  tenants: TenantsFile,
  tenant: string,
  outcome: { verdict: 'allow' | 'block'; labels: string[] },
): ActionCallback | undefined {
  const url = tenantConfig(tenants, tenant)?.callback_url;
  if (!url) return undefined;
  return {
    url,
    payload: (row) => ({
      id: row.submissionId,
      review_id: row.reviewId,
      verdict: outcome.verdict,
      labels: outcome.labels,
      reviewed_at: row.resolvedAt.toISOString(),
    }),
  };
}

/** The signed `moderation.appeal_resolved` callback: the appeal's outcome and the final verdict. */
export function appealResolvedCallback(
  tenants: TenantsFile,
  tenant: string,
  decision: 'uphold' | 'overturn',
): ActionCallback | undefined {
  const url = tenantConfig(tenants, tenant)?.callback_url;
  if (!url) return undefined;
  return {
    url,
    payload: (row) => ({
      id: row.submissionId,
      appeal_id: row.reviewId,
      decision,
      verdict: decision === 'overturn' ? 'allow' : 'block',
      decided_at: row.resolvedAt.toISOString(),
    }),
  };
}
