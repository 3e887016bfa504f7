import { sql, type Kysely, type Migration } from 'kysely';

/** Migrations in code (no files to ship beside the build); names sort in order. */
export const migrations: Record<string, Migration> = {
  '2026-11-27-001-initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('submissions')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('content_url', 'text')
        .addColumn('blob_key', 'text')
        .addColumn('content_sha256', 'text')
        .addColumn('metadata', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
        .addColumn('priority', 'text', (c) => c.notNull().defaultTo('normal'))
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('enqueued_at', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addUniqueConstraint('submissions_tenant_event_unique', ['tenant', 'event_id'])
        .execute();
      await db.schema
        .createIndex('submissions_unenqueued')
        .on('submissions')
        .column('created_at')
        .where(sql.ref('enqueued_at'), 'is', null)
        .execute();
      await db.schema
        .createIndex('submissions_tenant_created')
        .on('submissions')
        .columns(['tenant', 'created_at'])
        .execute();

      await db.schema
        .createTable('decisions')
        .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('submission_id', 'uuid', (c) => c.notNull().references('submissions.id'))
        .addColumn('policy_id', 'text', (c) => c.notNull())
        .addColumn('policy_version', 'integer', (c) => c.notNull())
        .addColumn('policy_hash', 'text', (c) => c.notNull())
        .addColumn('model_id', 'text', (c) => c.notNull())
        .addColumn('shadow', 'boolean', (c) => c.notNull())
        .addColumn('verdict', 'text', (c) => c.notNull())
        .addColumn('safety_score', 'double precision', (c) => c.notNull())
        .addColumn('body', 'jsonb', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addUniqueConstraint('decisions_one_per_version', ['submission_id', 'policy_id', 'policy_version'])
        .execute();
      await db.schema
        .createIndex('decisions_report')
        .on('decisions')
        .columns(['policy_id', 'policy_version', 'verdict', 'created_at'])
        .execute();

      await db.schema
        .createTable('embeddings')
        .addColumn('content_sha256', 'text', (c) => c.notNull())
        .addColumn('model_id', 'text', (c) => c.notNull())
        .addColumn('frames', 'integer', (c) => c.notNull())
        .addColumn('vectors', 'bytea', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('embeddings_pk', ['content_sha256', 'model_id'])
        .execute();

      await db.schema
        .createTable('reviews')
        .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('submission_id', 'uuid', (c) => c.notNull().unique().references('submissions.id'))
        .addColumn('decision_id', 'uuid', (c) => c.notNull().references('decisions.id'))
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createIndex('reviews_queue')
        .on('reviews')
        .columns(['tenant', 'status', 'created_at'])
        .execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('seq', 'bigserial', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('ref', 'text', (c) => c.notNull())
        .addColumn('body', 'jsonb', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();

      await db.schema
        .createTable('callback_deliveries')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('submission_id', 'uuid', (c) => c.notNull().unique().references('submissions.id'))
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_status', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('payload', 'jsonb', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of [
        'callback_deliveries',
        'audit_log',
        'reviews',
        'embeddings',
        'decisions',
        'submissions',
      ]) {
        await db.schema.dropTable(t).ifExists().execute();
      }
    },
  },
  '2026-11-28-001-reliability': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('submissions')
        // The decide job expected to finish the submission once it is `deciding` (reconciliation).
        .addColumn('decide_job_id', 'text')
        // How often the reconciler re-drove it; capped so a poison submission cannot loop forever.
        .addColumn('redrives', 'integer', (c) => c.notNull().defaultTo(0))
        // The first Standard Webhooks id it arrived with (tracing; dedupe is by event id).
        .addColumn('webhook_id', 'text')
        .execute();
      await db.schema
        .createIndex('submissions_unfinished')
        .on('submissions')
        .column('updated_at')
        .where(sql.ref('status'), 'in', sql`('queued', 'embedding', 'deciding')`)
        .execute();
      await db.schema
        .createIndex('callback_deliveries_pending')
        .on('callback_deliveries')
        .column('updated_at')
        .where(sql.ref('status'), '=', 'pending')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('callback_deliveries_pending').ifExists().execute();
      await db.schema.dropIndex('submissions_unfinished').ifExists().execute();
      await db.schema
        .alterTable('submissions')
        .dropColumn('decide_job_id')
        .dropColumn('redrives')
        .dropColumn('webhook_id')
        .execute();
    },
  },
  '2026-11-28-002-console': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('disabled', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('preferences', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('memberships')
        .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('tenant', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('memberships_pk', ['user_id', 'tenant'])
        .execute();
      await db.schema
        .createTable('sessions')
        // sha256 of the cookie's token: a stolen table does not hand out sessions.
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('items_viewed', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('ip', 'text')
        .addColumn('user_agent', 'text')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

      await db.schema
        .alterTable('reviews')
        .addColumn('queue', 'text', (c) => c.notNull().defaultTo('review'))
        .addColumn('severity', 'integer')
        .addColumn('top_category', 'text')
        .addColumn('top_score', 'double precision')
        .addColumn('claimed_by', 'uuid', (c) => c.references('users.id'))
        .addColumn('claim_expires_at', 'timestamptz')
        .addColumn('reason', 'text')
        .addColumn('appeal_of', 'uuid', (c) => c.references('reviews.id'))
        .addColumn('verdict', 'text')
        .addColumn('labels', 'jsonb')
        .addColumn('note', 'text')
        .addColumn('resolved_by', 'uuid', (c) => c.references('users.id'))
        .addColumn('resolved_by_name', 'text')
        .addColumn('resolved_at', 'timestamptz')
        .addColumn('qa_agreement', 'boolean')
        .execute();
      await sql`update reviews set queue = 'qa' where trigger like 'sample:%'`.execute(db);
      await sql`alter table reviews drop constraint reviews_submission_id_key`.execute(db);
      // One review item per submission; besides it, at most one open appeal.
      await sql`create unique index reviews_one_item on reviews (submission_id) where queue <> 'appeal'`.execute(
        db,
      );
      await sql`create unique index reviews_one_open_appeal on reviews (submission_id)
        where queue = 'appeal' and status = 'pending'`.execute(db);
      await sql`create index reviews_pending on reviews (queue, tenant, severity desc, top_score desc, created_at)
        where status = 'pending'`.execute(db);

      await db.schema
        .alterTable('callback_deliveries')
        .addColumn('kind', 'text', (c) => c.notNull().defaultTo('moderation.decided'))
        // The review or appeal a delivery reports, '' for the automatic decision.
        .addColumn('ref', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await sql`alter table callback_deliveries drop constraint callback_deliveries_submission_id_key`.execute(
        db,
      );
      await db.schema
        .createIndex('callback_deliveries_one_per_event')
        .on('callback_deliveries')
        .columns(['submission_id', 'kind', 'ref'])
        .unique()
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('callback_deliveries_one_per_event').execute();
      await db.schema.alterTable('callback_deliveries').dropColumn('kind').dropColumn('ref').execute();
      for (const i of ['reviews_one_item', 'reviews_one_open_appeal', 'reviews_pending'])
        await db.schema.dropIndex(i).ifExists().execute();
      for (const c of [
        'queue',
        'severity',
        'top_category',
        'top_score',
        'claimed_by',
        'claim_expires_at',
        'reason',
        'appeal_of',
        'verdict',
        'labels',
        'note',
        'resolved_by',
        'resolved_by_name',
        'resolved_at',
        'qa_agreement',
      ])
        await db.schema.alterTable('reviews').dropColumn(c).execute();
      for (const t of ['sessions', 'memberships', 'users']) await db.schema.dropTable(t).ifExists().execute();
    },
  },
  '2026-11-30-001-fairness': {
    async up(db: Kysely<unknown>) {
      // The fairness report and replay read one policy version's decisions in time order, a page at a time.
      await db.schema
        .createIndex('decisions_version_time')
        .on('decisions')
        .columns(['policy_id', 'policy_version', 'created_at', 'id'])
        .execute();
      // Attribute probes are read from each decision's audit entry (by kind and ref); fairness, drift and
      // baseline entries are looked up by kind and ref, newest first.
      await db.schema
        .createIndex('audit_log_kind_ref')
        .on('audit_log')
        .columns(['kind', 'ref', 'seq'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('audit_log_kind_ref').ifExists().execute();
      await db.schema.dropIndex('decisions_version_time').ifExists().execute();
    },
  },
  '2026-11-30-002-callback-lease': {
    async up(db: Kysely<unknown>) {
      // Who sends a delivery is claimed in the record: a callback job run twice at once (its lock lost in
      // a stalled event loop, the job re-run beside the first) must not send the same delivery twice.
      await db.schema.alterTable('callback_deliveries').addColumn('sending_until', 'timestamptz').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('callback_deliveries').dropColumn('sending_until').execute();
    },
  },
  '2026-12-01-001-banks': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('banks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        // '*' applies the bank to every tenant (an operator's shared hash list).
        .addColumn('tenants', sql`text[]`, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('threshold', 'double precision', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
        .addColumn('model_id', 'text')
        .addColumn('match_dihedral', 'boolean', (c) => c.notNull().defaultTo(true))
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('deleted_at', 'timestamptz')
        .execute();
      await sql`create index banks_tenants on banks using gin (tenants)`.execute(db);

      await db.schema
        .createTable('bank_entries')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('bank_id', 'text', (c) => c.notNull().references('banks.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text')
        // 32 bytes, in the order of Meta's hex form.
        .addColumn('pdq', 'bytea')
        .addColumn('pdq_quality', 'integer')
        // float32 little-endian, L2-normalised.
        .addColumn('embedding', 'bytea')
        .addColumn('model_id', 'text')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('added_by', 'text', (c) => c.notNull())
        .addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
        // Removal keeps the row: decisions and the audit log name entries that must stay explainable.
        .addColumn('removed_at', 'timestamptz')
        .addColumn('removed_by', 'text')
        .execute();
      await sql`create index bank_entries_live on bank_entries (bank_id, id) where removed_at is null`.execute(
        db,
      );
      // The same hash twice in one bank adds nothing; an import of a list that overlaps is idempotent.
      await sql`create unique index bank_entries_one_sha256 on bank_entries (bank_id, sha256)
        where removed_at is null and sha256 is not null`.execute(db);
      await sql`create unique index bank_entries_one_pdq on bank_entries (bank_id, pdq)
        where removed_at is null and pdq is not null`.execute(db);

      // Every change in commit order (writers hold one advisory lock): processes follow it to keep their
      // in-memory indexes current, and a decision names the revision it was checked against.
      await db.schema
        .createTable('bank_changes')
        .addColumn('revision', 'bigserial', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('bank_id', 'text', (c) => c.notNull().references('banks.id'))
        .addColumn('entry_id', 'uuid', (c) => c.references('bank_entries.id'))
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of ['bank_changes', 'bank_entries', 'banks'])
        await db.schema.dropTable(t).ifExists().execute();
    },
  },
};
