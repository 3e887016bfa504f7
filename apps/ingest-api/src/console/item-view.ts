import type { CategoryReceipt, ItemView, QueueItemSummary, QueueKind } from '@clipguard/contracts';
import { SEVERITIES, flattenCategories, type Policy } from '@clipguard/policy';

/** A review row as the queue lists it. */
export interface ReviewRow {
  id: string;
  queue: QueueKind;
  tenant: string;
  submission_id: string;
  trigger: string;
  top_category: string | null;
  severity: number | null;
  top_score: number | null;
  created_at: Date;
  claimed_by: string | null;
  claim_expires_at: Date | null;
}

export function itemSummary(r: ReviewRow, slaSeconds: number, now = Date.now()): QueueItemSummary {
  return {
    id: r.id,
    queue: r.queue,
    tenant: r.tenant,
    submission_id: r.submission_id,
    trigger: r.trigger,
    top_category: r.top_category,
    severity: r.severity === null ? null : (SEVERITIES[r.severity] ?? null),
    top_score: r.top_score,
    age_seconds: Math.max(0, Math.round((now - new Date(r.created_at).getTime()) / 1000)),
    sla_seconds: slaSeconds,
    claimed_by: r.claim_expires_at && new Date(r.claim_expires_at).getTime() > now ? r.claimed_by : null,
    claim_expires_at: r.claim_expires_at ? new Date(r.claim_expires_at).toISOString() : null,
  };
}

interface DecisionBody {
  verdict: string;
  safety_score: number;
  category_scores: Record<string, number>;
  reasons: { category: string; threshold: 'review' | 'block'; topPrompt: string }[];
  policy: { id: string; version: number; hash: string };
  model_id: string;
  shadow: { verdict: string; policy: { id: string; version: number } } | null;
}

/** Every category of the policy that decided it: score against thresholds, what it crossed, its best prompt. */
export function categoryReceipts(body: DecisionBody, policy: Policy | undefined): CategoryReceipt[] {
  const reasons = new Map(body.reasons.map((r) => [r.category, r]));
  const categories = policy ? flattenCategories(policy.categories).map((c) => c.category) : [];
  return categories.map((c) => ({
    id: c.id,
    title: c.title,
    severity: c.severity,
    action: c.action,
    score: body.category_scores[c.id] ?? 0,
    thresholds: { review: c.thresholds.review, block: c.thresholds.block },
    crossed: reasons.get(c.id)?.threshold ?? null,
    top_prompt: reasons.get(c.id)?.topPrompt ?? null,
  }));
}

export function decisionReceipt(body: DecisionBody, policy: Policy | undefined): ItemView['decision'] {
  return {
    verdict: body.verdict,
    safety_score: body.safety_score,
    categories: categoryReceipts(body, policy),
    policy: body.policy,
    model_id: body.model_id,
    shadow: body.shadow ? { verdict: body.shadow.verdict, policy: body.shadow.policy } : null,
  };
}

export type { DecisionBody };
