import { Inject, Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import type { BankMatcher, MatchResult } from '@clipguard/banks';
import { isInputError, type ClipEngine } from '@clipguard/clip';
import type { AppEnv } from '@clipguard/config';
import { encodeFloats, type DecideBanks, type DecideJob } from '@clipguard/contracts';
import { BLOBS, ENV, LOGGER } from '@clipguard/infra';
import { promptSimilarities, type CompiledPolicy } from '@clipguard/policy';
import { JobProducer } from '@clipguard/queue';
import {
  ContentFetchError,
  EmbeddingRepository,
  SubmissionRepository,
  safeFetch,
  sha256Hex,
  type BlobStore,
  type LivePolicies,
} from '@clipguard/storage';
import { BANKS, ENGINE, LIVE } from './tokens';
import { WorkerMetrics } from './worker.metrics';

/** A failure that belongs to the submission (bad image, refused URL): recorded, never retried. */
export class PoisonError extends UnrecoverableError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const sims = (compiled: CompiledPolicy, frames: Float32Array[]) => ({
  policyId: compiled.policy.id,
  version: compiled.policy.version,
  hash: compiled.hash,
  similarities: promptSimilarities(compiled, frames),
});

/** The bank outcome as the decide job carries it: every bank checked, the most decisive matches first. */
export function banksPayload(m: MatchResult): DecideBanks {
  return {
    revision: m.revision,
    checked: m.outcome.checked,
    matches: m.outcome.matches.slice(0, 16),
    ...(m.pdq && { pdq: m.pdq }),
    match_ms: m.ms,
  };
}

/** image → embedding → bank matches → similarities with the tenant's live (and shadow) policy → a decide job. */
@Injectable()
export class EmbedService {
  constructor(
    private readonly submissions: SubmissionRepository,
    private readonly embeddings: EmbeddingRepository,
    private readonly producer: JobProducer,
    @Inject(BLOBS) private readonly blobs: BlobStore,
    @Inject(ENGINE) private readonly engine: ClipEngine,
    @Inject(LIVE) private readonly live: LivePolicies,
    @Inject(BANKS) private readonly banks: BankMatcher,
    private readonly metrics: WorkerMetrics,
    @Inject(ENV) private readonly env: AppEnv,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async embed(submissionId: string, jobRef: string): Promise<void> {
    const started = performance.now();
    // A re-run job (stalled, or re-driven) may find it further along: status only ever moves forward.
    const sub = await this.submissions.claimForEmbedding(submissionId);
    if (!sub) throw new PoisonError('SUBMISSION_NOT_FOUND', `no submission ${submissionId}`);
    if (sub.status === 'decided' || sub.status === 'failed') return;
    const log = this.logger.child({ submissionId, jobId: jobRef, tenant: sub.tenant });
    const bytes = await this.content(sub.blob_key, sub.content_url);
    // A fetched image is kept like an uploaded one: moderators see it from here, never from its URL. The
    // store's key is the bytes' sha256, so a fetched image is hashed once, not twice.
    let sha: string;
    if (sub.blob_key) sha = sha256Hex(bytes);
    else {
      sha = await this.blobs.put(bytes);
      await this.submissions.setBlob(submissionId, sha);
    }
    const fetched = performance.now();
    const frames = await this.frames(bytes, sha);
    const encoded = performance.now();
    // Banks first: a match is a human judgement already made, and decides over the policy's scores.
    const matched = await this.banks.match({
      tenant: sub.tenant,
      sha256: sha,
      image: bytes,
      embedding: { vector: frames.embeddings[0], modelId: this.engine.modelId },
    });
    if (matched?.pdqError) log.warn({ err: matched.pdqError }, 'no PDQ hash; PDQ banks skipped');
    if (matched) this.metrics.bankMatchSeconds.observe(matched.ms / 1000);
    const winner = matched?.outcome.winner;
    if (winner) this.metrics.bankMatches.inc({ bank: winner.bankId, action: winner.action });
    const { live, shadow } = this.live.forTenant(sub.tenant);
    const job: DecideJob = {
      v: 1,
      submissionId,
      modelId: this.engine.modelId,
      logitScale: this.engine.info.logitScale,
      contentSha256: sha,
      embeddings: frames.embeddings.map(encodeFloats),
      frameIndices: frames.frameIndices,
      live: sims(live, frames.embeddings),
      shadow: shadow ? sims(shadow, frames.embeddings) : undefined,
      timings: { fetch_ms: fetched - started, encode_ms: encoded - fetched },
      ...(matched && { banks: banksPayload(matched) }),
    };
    // The job first: once it exists the decision can be stored at any moment, and a status written
    // after it cannot move a decided submission back (the update is guarded).
    const decideJobId = await this.producer.enqueue('decide', job);
    const advanced = await this.submissions.startDeciding(submissionId, sha, decideJobId);
    log.info(
      {
        frames: frames.embeddings.length,
        reused: frames.reused,
        bankMatch: winner?.bankId,
        advanced,
        ms: Math.round(performance.now() - started),
      },
      'embedded',
    );
  }

  /** Records a failure the submission owns, so it ends visibly instead of vanishing. */
  async fail(submissionId: string, code: string, message: string): Promise<void> {
    await this.submissions.markFailed(submissionId, code, message);
  }

  private async content(blobKey: string | null, url: string | null): Promise<Buffer> {
    if (blobKey) {
      const bytes = await this.blobs.get(blobKey);
      if (!bytes) throw new PoisonError('CONTENT_MISSING', `blob ${blobKey} is gone (expired or deleted)`);
      return bytes;
    }
    if (!url) throw new PoisonError('CONTENT_MISSING', 'submission has neither blob nor URL');
    try {
      return await safeFetch(url, {
        allowHttp: this.env.CLIPGUARD_FETCH_ALLOW_HTTP,
        allowPrivate: this.env.CLIPGUARD_FETCH_ALLOW_PRIVATE,
        maxBytes: this.env.CLIPGUARD_MAX_IMAGE_BYTES,
        timeoutMs: this.env.CLIPGUARD_FETCH_TIMEOUT_MS,
        maxRedirects: this.env.CLIPGUARD_FETCH_MAX_REDIRECTS,
      });
    } catch (err) {
      if (err instanceof ContentFetchError && !err.transient) throw new PoisonError(err.code, err.message);
      throw err;
    }
  }

  /** A repeated image reuses its stored embedding instead of running the encoder again. */
  private async frames(
    bytes: Buffer,
    sha: string,
  ): Promise<{ embeddings: Float32Array[]; frameIndices: number[]; reused: boolean }> {
    const stored = await this.embeddings.find(sha, this.engine.modelId);
    if (stored) return { embeddings: stored, frameIndices: stored.map((_, i) => i), reused: true };
    try {
      const out = await this.engine.embedImage(bytes, { frames: this.env.CLIPGUARD_FRAMES, sha256: sha });
      return { embeddings: out.embeddings, frameIndices: out.frameIndices, reused: false };
    } catch (err) {
      if (isInputError(err)) throw new PoisonError(err.code, err.message);
      throw err;
    }
  }
}
