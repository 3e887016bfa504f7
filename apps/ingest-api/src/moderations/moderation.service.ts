import { Injectable } from '@nestjs/common';
import { ApiError, isUuid } from '@clipguard/contracts';
import {
  CallbackRepository,
  DecisionRepository,
  ReviewRepository,
  SubmissionRepository,
  type SubmissionListFilter,
} from '@clipguard/storage';

const POLL_MS = 25;

const humanOutcome = (o: {
  id: string;
  queue: string;
  status: string;
  verdict: string | null;
  labels: string[] | null;
  resolved_at: Date | null;
}) => ({
  id: o.id,
  queue: o.queue,
  status: o.status === 'pending' ? 'pending' : 'resolved',
  verdict: o.verdict,
  labels: o.labels ?? [],
  resolved_at: o.resolved_at,
});

/** Status and decisions of a tenant's submissions. */
@Injectable()
export class ModerationService {
  constructor(
    private readonly submissions: SubmissionRepository,
    private readonly decisions: DecisionRepository,
    private readonly callbacks: CallbackRepository,
    private readonly reviews: ReviewRepository,
  ) {}

  /** A submission of this tenant with its live and shadow decisions; another tenant's is "not found". */
  async view(id: string, tenant: string) {
    const s = isUuid(id) ? await this.submissions.find(id, tenant) : undefined;
    if (!s) throw new ApiError('SUBMISSION_NOT_FOUND', `no submission ${id}`);
    const [decisions, callbacks, outcomes] = await Promise.all([
      this.decisions.forSubmission(id),
      this.callbacks.forSubmission(id),
      this.reviews.outcomes(id),
    ]);
    const review = outcomes.find((o) => o.queue !== 'appeal');
    const appeals = outcomes.filter((o) => o.queue === 'appeal');
    return {
      id: s.id,
      tenant: s.tenant,
      event_id: s.event_id,
      status: s.status,
      error: s.error_code ? { code: s.error_code, message: s.error_message } : null,
      decision: decisions.find((d) => !d.shadow)?.body ?? null,
      shadow_decision: decisions.find((d) => d.shadow)?.body ?? null,
      // The human verdict beside the automatic one, and the final word (an appeal's, else the review's).
      review: review ? humanOutcome(review) : null,
      appeals: appeals.map(humanOutcome),
      final_verdict:
        [...outcomes].reverse().find((o) => o.verdict !== null)?.verdict ??
        decisions.find((d) => !d.shadow)?.verdict ??
        null,
      callback: callbacks.find((c) => c.kind === 'moderation.decided') ?? null,
      callbacks,
      created_at: s.created_at,
    };
  }

  /** Whether the submission reached a final state within `waitMs`. */
  async waitUntilFinal(id: string, waitMs: number): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const s = await this.submissions.find(id);
      if (s?.status === 'decided' || s?.status === 'failed') return true;
      if (Date.now() + POLL_MS > deadline) return false;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  async list(filter: SubmissionListFilter) {
    const items = await this.submissions.list(filter);
    const last = items.at(-1);
    return {
      items,
      next:
        items.length === filter.limit && last ? { before: new Date(last.created_at).toISOString() } : null,
    };
  }
}
