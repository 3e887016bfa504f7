import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { SubmissionStatus, Verdict } from '@clipguard/contracts';

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

export interface ReviewsTable {
  id: Generated<string>;
  submission_id: string;
  decision_id: string;
  tenant: string;
  trigger: string;
  status: Generated<string>;
  created_at: Timestamp;
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

export interface CallbackDeliveriesTable {
  id: string;
  submission_id: string;
  tenant: string;
  url: string;
  status: Generated<string>;
  attempts: Generated<number>;
  last_status: number | null;
  last_error: string | null;
  payload: JSONColumnType<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface Database {
  submissions: SubmissionsTable;
  decisions: DecisionsTable;
  embeddings: EmbeddingsTable;
  reviews: ReviewsTable;
  audit_log: AuditLogTable;
  callback_deliveries: CallbackDeliveriesTable;
}
