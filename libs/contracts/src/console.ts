import { z } from 'zod';
import { storableText } from './text';

/**
 * The review console's JSON API (`/v1/console/...`): request bodies are parsed with these schemas on the
 * server, and the SPA uses the same types for what it sends and receives.
 */

export const ROLES = ['moderator', 'lead', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES);

/** Work queues: policy reviews, QA samples of automatic decisions, escalations, appeals. */
export const QUEUE_KINDS = ['review', 'qa', 'escalated', 'appeal'] as const;
export type QueueKind = (typeof QUEUE_KINDS)[number];
export const queueKindSchema = z.enum(QUEUE_KINDS);

export const emailSchema = z
  .email()
  .max(320)
  .transform((s) => s.toLowerCase());
export const passwordSchema = z.string().min(12, 'at least 12 characters').max(256);

export const loginBodySchema = z.strictObject({ email: emailSchema, password: z.string().min(1).max(256) });
export type LoginBody = z.infer<typeof loginBodySchema>;

export const preferencesSchema = z.strictObject({
  /** Images start blurred. */
  blur: z.boolean().default(true),
  /** How a blurred image is revealed. */
  reveal: z.enum(['click', 'hover']).default('click'),
  grayscale: z.boolean().default(false),
  /** Items viewed in a session before a break reminder (0: never). */
  break_after: z.number().int().min(0).max(1000).default(50),
});
export type Preferences = z.infer<typeof preferencesSchema>;

export interface Membership {
  tenant: string;
  role: Role;
}

export interface ConsoleSession {
  user: { id: string; email: string; display_name: string };
  memberships: Membership[];
  preferences: Preferences;
  /** Sent back as `x-csrf-token` on every state-changing request. */
  csrf_token: string;
  items_viewed: number;
  expires_at: string;
}

/** Filters for taking the next item or listing a queue. */
export const queueFilterSchema = z.strictObject({
  tenant: z.string().max(100).optional(),
  category: z.string().max(100).optional(),
  /** `verdict`, `band:<category>`, `sample:<verdict>`, `escalated`, `appeal`. */
  trigger: z.string().max(100).optional(),
  /** Only items at least this old. */
  min_age_minutes: z.coerce.number().int().min(0).max(100_000).optional(),
});
export type QueueFilter = z.infer<typeof queueFilterSchema>;

export const nextItemBodySchema = queueFilterSchema.extend({
  /** Items this moderator skipped in this session, not offered again. */
  exclude: z.array(z.uuid()).max(500).default([]),
});
export type NextItemBody = z.infer<typeof nextItemBodySchema>;

export const resolveBodySchema = z.strictObject({
  verdict: z.enum(['allow', 'block']),
  /** The policy's categories really present (ground truth for calibration and fairness). */
  labels: z.array(z.string().max(100)).max(50).default([]),
  note: storableText(2000).optional(),
  /**
   * "Block and add to bank" (a lead's permission): the id of a bank of the item's tenant that receives
   * the item's image (its sha256, PDQ hash or embedding, whatever the bank matches on). Only with `block`.
   */
  bank: z.string().min(1).max(100).optional(),
});
export type ResolveBody = z.infer<typeof resolveBodySchema>;

export const escalateBodySchema = z.strictObject({ reason: storableText(2000).pipe(z.string().min(1)) });
export const assignBodySchema = z.strictObject({ user_id: z.uuid() });
export const appealDecisionBodySchema = z.strictObject({
  decision: z.enum(['uphold', 'overturn']),
  note: storableText(2000).optional(),
});

/** The platform's appeal on behalf of its user (`POST /v1/moderations/:id/appeals`, API key). */
export const appealBodySchema = z.strictObject({
  statement: storableText(4000).pipe(z.string().min(1)),
  user_id: storableText(200).optional(),
});

export interface QueueSummary {
  queue: QueueKind;
  tenant: string;
  depth: number;
  claimed: number;
  oldest_age_seconds: number;
  sla_seconds: number;
  /** Items older than the SLA. */
  breaching: number;
}

export interface QueueItemSummary {
  id: string;
  queue: QueueKind;
  tenant: string;
  submission_id: string;
  trigger: string;
  top_category: string | null;
  severity: string | null;
  top_score: number | null;
  age_seconds: number;
  sla_seconds: number;
  claimed_by: string | null;
  claim_expires_at: string | null;
}

export interface CategoryReceipt {
  id: string;
  title: string;
  severity: string;
  action: string;
  score: number;
  thresholds: { review: number; block: number };
  crossed: 'review' | 'block' | null;
  top_prompt: string | null;
}

export interface ItemView extends QueueItemSummary {
  status: string;
  claim: { user_id: string; display_name: string; expires_at: string } | null;
  /** Escalation reason, or the user's appeal statement. */
  reason: string | null;
  decision: {
    verdict: string;
    safety_score: number;
    categories: CategoryReceipt[];
    policy: { id: string; version: number; hash: string };
    model_id: string;
    shadow: { verdict: string; policy: { id: string; version: number } } | null;
  };
  /** Where the original review of an appeal ended. */
  appealed_review: { verdict: string; labels: string[]; resolved_by: string } | null;
  /**
   * The human decision once the item is resolved (null while open): a resolved item opens read-only, as
   * a similar past case does.
   */
  review: {
    verdict: string;
    labels: string[];
    note: string | null;
    resolved_by: string;
    resolved_at: string;
  } | null;
  metadata: { user_id?: string; post_id?: string; labels?: string[] };
  image_url: string;
  history: { at: string; kind: string; actor: string | null; summary: string }[];
}

export interface ConsoleStats {
  queues: QueueSummary[];
  per_moderator: { user: string; day: string; resolved: number }[];
  time_to_decision_seconds: { p50: number | null; p90: number | null; p99: number | null };
  qa_agreement: { category: string; items: number; agreement: number | null }[];
  appeals: { decided: number; overturned: number; overturn_rate: number | null };
}

export const userCreateBodySchema = z.strictObject({
  email: emailSchema,
  display_name: storableText(200).pipe(z.string().min(1)),
  password: passwordSchema,
  memberships: z.array(z.strictObject({ tenant: z.string().min(1).max(100), role: roleSchema })).min(1),
});
export const userUpdateBodySchema = z.strictObject({
  disabled: z.boolean().optional(),
  memberships: z.array(z.strictObject({ tenant: z.string().min(1).max(100), role: roleSchema })).optional(),
  password: passwordSchema.optional(),
});

/** A bank the user may add a resolved item to (`GET /v1/console/banks`, lead and admin). */
export interface ConsoleBank {
  id: string;
  title: string;
  tenants: string[];
  kind: 'sha256' | 'pdq' | 'embedding';
  action: 'allow' | 'review' | 'block';
  enabled: boolean;
  entries: number;
}

/**
 * One of the nearest images a human already decided (`GET /v1/console/items/:id/similar`): same tenant,
 * by CLIP embedding cosine similarity, at most 5, most similar first. `item_id` opens with
 * `GET /v1/console/items/:id` and its image with `image_url`.
 */
export interface SimilarCase {
  item_id: string;
  submission_id: string;
  similarity: number;
  verdict: 'allow' | 'block';
  labels: string[];
  resolved_at: string;
  resolved_by: string | null;
  image_url: string;
}
