import { z } from 'zod';
import type { AuditedDecision, HumanLabel, ProbeReading } from '@clipguard/audit';
import { bankCheckSchema, bankMatchSchema, verdictSchema } from '@clipguard/contracts';

/**
 * Stored JSON read back for the fairness figures. Decisions stored by older code may lack a field (a
 * probe's `margin`, say), so each part is parsed leniently and a missing part reads as empty.
 */
const scoresSchema = z.record(z.string(), z.number()).catch({});
const categoryReason = z.looseObject({ category: z.string(), verdict: verdictSchema });
// Element by element: a bank's reason (`kind: 'bank'`, no category) sits beside the policy's category
// reasons and must not make them unreadable.
const reasonsSchema = z
  .array(z.unknown())
  .catch([])
  .transform((rs) =>
    rs.flatMap((r) => {
      const p = categoryReason.safeParse(r);
      return p.success ? [{ category: p.data.category, verdict: p.data.verdict }] : [];
    }),
  );
const probeSchema = z.looseObject({
  value: z.string(),
  confidence: z.number(),
  margin: z.number().optional(),
});
const attributesSchema = z.record(z.string(), probeSchema).nullable().catch(null);
const labelsSchema = z.array(z.string()).nullable().catch(null);

/** The review item of a decision's submission, when a human resolved it. */
export interface ReviewColumns {
  review_status: string | null;
  review_queue: string | null;
  review_trigger: string | null;
  human_verdict: string | null;
  labels: unknown;
}

export interface DecisionColumns extends ReviewColumns {
  submission_id: string;
  created_at: Date;
  verdict: string;
  category_scores: unknown;
  reasons: unknown;
  attributes: unknown;
}

const humanVerdict = (r: ReviewColumns): 'allow' | 'block' | undefined => {
  const v = r.human_verdict ?? (r.review_status?.startsWith('resolved:') ? r.review_status.slice(9) : null);
  return v === 'allow' || v === 'block' ? v : undefined;
};

/**
 * The moderator's resolution as ground truth. A QA item (queue `qa`, or a `sample:` trigger from before
 * the console's queues) is the random sample false negatives are measured on. Category labels come from
 * the review; a resolution without them (the API-key endpoint before it took labels) reads as "nothing
 * present" for an allow and as "the categories the policy flagged" for a block: the moderator saw those
 * reasons and confirmed the block.
 */
export function humanLabel(
  r: ReviewColumns,
  flagged: readonly { category: string }[],
): HumanLabel | undefined {
  const verdict = humanVerdict(r);
  if (!verdict) return undefined;
  const labels = labelsSchema.parse(r.labels ?? null);
  const categories = labels ?? (verdict === 'allow' ? [] : [...new Set(flagged.map((f) => f.category))]);
  const qa = r.review_queue === 'qa' || (r.review_trigger?.startsWith('sample:') ?? false);
  return { verdict, categories, source: qa ? 'qa' : 'review' };
}

// The bank outcome a decision recorded (`body.banks`); absent before banks, or when none applied.
const recordedBanksSchema = z
  .looseObject({
    revision: z.number().int().nonnegative(),
    checked: z.array(bankCheckSchema),
    matches: z.array(bankMatchSchema),
  })
  .optional()
  .catch(undefined);

/** `{banks}` when the stored decision recorded a bank outcome, else nothing (spread into a row). */
export function parseBanks(raw: unknown) {
  const banks = recordedBanksSchema.parse(raw ?? undefined);
  return banks ? { banks: { revision: banks.revision, checked: banks.checked, matches: banks.matches } } : {};
}

export function parseReasons(raw: unknown): { category: string; verdict: AuditedDecision['verdict'] }[] {
  return reasonsSchema.parse(raw ?? []);
}

/** A stored decision, its audit entry's attribute probes and its human label, as the figures read it. */
export function auditedFromRow(row: DecisionColumns): AuditedDecision {
  const reasons = parseReasons(row.reasons);
  const attributes: Record<string, ProbeReading> = {};
  for (const [id, p] of Object.entries(attributesSchema.parse(row.attributes ?? null) ?? {})) {
    attributes[id] = {
      value: p.value,
      confidence: p.confidence,
      ...(p.margin === undefined ? {} : { margin: p.margin }),
    };
  }
  const label = humanLabel(row, reasons);
  return {
    submissionId: row.submission_id,
    decidedAt: row.created_at,
    verdict: verdictSchema.parse(row.verdict),
    categoryScores: scoresSchema.parse(row.category_scores ?? {}),
    reasons,
    attributes,
    ...(label ? { label } : {}),
  };
}
