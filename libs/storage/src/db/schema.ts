import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { QueueKind, Role, SubmissionStatus, Verdict } from '@clipguard/contracts';

/** Read as Date; optional on insert (defaults to now()). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface SubmissionsTable {
  id: string;
  tenant: string;
  event_id: string;
  status: SubmissionStatus;
  content_url: string | null;
  blob_key: string | null;
  content_sha256: string | null;
  metadata: JSONColumnType<Record<string, unknown>>;
  priority: string;
  error_code: string | null;
  error_message: string | null;
  enqueued_at: NullableTimestamp;
  decide_job_id: ColumnType<string | null, string | null | undefined, string | null>;
  redrives: Generated<number>;
  webhook_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DecisionsTable {
  id: Generated<string>;
  submission_id: string;
  policy_id: string;
  policy_version: number;
  policy_hash: string;
  model_id: string;
  shadow: boolean;
  verdict: Verdict;
  safety_score: number;
  body: JSONColumnType<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface EmbeddingsTable {
  content_sha256: string;
  model_id: string;
  frames: number;
  /** float32 little-endian, frames × dim */
  vectors: Buffer;
  created_at: Timestamp;
}

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface ReviewsTable {
  id: Generated<string>;
  submission_id: string;
  decision_id: string;
  tenant: string;
  trigger: string;
  /** pending | resolved:allow | resolved:block */
  status: Generated<string>;
  queue: Generated<QueueKind>;
  /** Priority: the top category's severity rank (low 0 … critical 3), then its score, then age. */
  severity: Nullable<number>;
  top_category: Nullable<string>;
  top_score: Nullable<number>;
  claimed_by: Nullable<string>;
  claim_expires_at: NullableTimestamp;
  /** Escalation reason, or an appeal's statement. */
  reason: Nullable<string>;
  /** For an appeal: the review item whose outcome is appealed (null if nobody reviewed it). */
  appeal_of: Nullable<string>;
  verdict: Nullable<string>;
  labels: ColumnType<string[] | null, string | null | undefined, string | null>;
  note: Nullable<string>;
  resolved_by: Nullable<string>;
  /** Who resolved it when not a console user (the API-key endpoint's `moderator`). */
  resolved_by_name: Nullable<string>;
  resolved_at: NullableTimestamp;
  qa_agreement: Nullable<boolean>;
  created_at: Timestamp;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  password_hash: string;
  disabled: Generated<boolean>;
  preferences: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface MembershipsTable {
  user_id: string;
  tenant: string;
  role: Role;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  csrf_token: string;
  items_viewed: Generated<number>;
  ip: string | null;
  user_agent: string | null;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: ColumnType<Date, Date, Date>;
}

export interface AuditLogTable {
  seq: Generated<string>;
  kind: string;
  ref: string;
  body: JSONColumnType<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
  created_at: Timestamp;
}

export type CallbackKind = 'moderation.decided' | 'moderation.reviewed' | 'moderation.appeal_resolved';

export interface CallbackDeliveriesTable {
  id: string;
  submission_id: string;
  kind: Generated<CallbackKind>;
  /** The review or appeal the delivery reports; '' for the automatic decision. */
  ref: Generated<string>;
  tenant: string;
  url: string;
  status: Generated<string>;
  attempts: Generated<number>;
  last_status: number | null;
  last_error: string | null;
  payload: JSONColumnType<Record<string, unknown>>;
  /** While set and in the future, one callback job holds the right to send this delivery. */
  sending_until: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BanksTable {
  id: string;
  title: string;
  description: string;
  tenants: ColumnType<string[], string[], string[]>;
  kind: string;
  threshold: number;
  action: string;
  enabled: boolean;
  model_id: string | null;
  match_dihedral: boolean;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: NullableTimestamp;
}

export interface BankEntriesTable {
  id: string;
  bank_id: string;
  kind: string;
  sha256: string | null;
  /** 32 bytes in the order of Meta's hex form. */
  pdq: Buffer | null;
  pdq_quality: number | null;
  /** float32 little-endian, L2-normalised. */
  embedding: Buffer | null;
  model_id: string | null;
  source: string;
  added_by: string;
  added_at: Timestamp;
  note: string;
  removed_at: NullableTimestamp;
  removed_by: Nullable<string>;
}

export interface BankChangesTable {
  revision: Generated<string>;
  type: string;
  bank_id: string;
  entry_id: string | null;
  created_at: Timestamp;
}

export interface Database {
  submissions: SubmissionsTable;
  decisions: DecisionsTable;
  embeddings: EmbeddingsTable;
  reviews: ReviewsTable;
  audit_log: AuditLogTable;
  callback_deliveries: CallbackDeliveriesTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  banks: BanksTable;
  bank_entries: BankEntriesTable;
  bank_changes: BankChangesTable;
}
