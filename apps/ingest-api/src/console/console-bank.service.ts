import { Inject, Injectable } from '@nestjs/common';
import { nearest } from '@clipguard/banks';
import { can, queueCapability, tenantsWith } from '@clipguard/auth';
import type { AppEnv } from '@clipguard/config';
import { ApiError, QUEUE_KINDS, type ConsoleBank, type SimilarCase } from '@clipguard/contracts';
import { BLOBS, ENV } from '@clipguard/infra';
import { BankRepository, SimilarCasesRepository, type BlobStore } from '@clipguard/storage';
import { BankService } from '../banks/bank.service';
import { roleIn } from './access';
import type { ConsoleUser } from './console-request';

/** What the bank and similar-case actions need of a review item the user may see. */
export interface ItemRef {
  id: string;
  tenant: string;
  submission_id: string;
  blob_key: string | null;
  model_id: string;
}

const SIMILAR_CASES = 5;

/** Banks from the console ("block and add to bank", a lead's permission) and similar past cases. */
@Injectable()
export class ConsoleBankService {
  constructor(
    private readonly banks: BankRepository,
    private readonly bankService: BankService,
    private readonly cases: SimilarCasesRepository,
    @Inject(BLOBS) private readonly blobs: BlobStore,
    @Inject(ENV) private readonly env: AppEnv,
  ) {}

  /** The banks of the tenants where the user may add to banks (not the operator's shared ones). */
  async list(user: ConsoleUser): Promise<ConsoleBank[]> {
    const tenants = tenantsWith(user.memberships, 'manage_banks');
    if (tenants.length === 0) throw new ApiError('ROLE_FORBIDDEN', 'adding to banks is a lead’s permission');
    const banks = await this.banks.summaries(tenants);
    return banks
      .filter((b) => b.tenants.some((t) => tenants.includes(t)))
      .map((b) => ({
        id: b.id,
        title: b.title,
        tenants: b.tenants,
        kind: b.kind,
        action: b.action,
        enabled: b.enabled,
        entries: b.entries,
      }));
  }

  /**
   * Checks a "block and add to bank" before the review is resolved, and returns the step that adds the
   * item's image once it is: only with block, only a lead of the item's tenant, only that tenant's bank.
   */
  async prepare(
    user: ConsoleUser,
    item: ItemRef,
    verdict: 'allow' | 'block',
    bankId: string,
  ): Promise<(note: string) => Promise<void>> {
    if (verdict !== 'block')
      throw new ApiError('BANK_NEEDS_BLOCK', 'only a block verdict adds the item to a bank');
    if (!roleIn(user.memberships, item.tenant, 'manage_banks'))
      throw new ApiError('ROLE_FORBIDDEN', 'adding to a bank is a lead’s permission');
    const bank = await this.banks.find(bankId);
    if (!bank || !bank.tenants.includes(item.tenant))
      throw new ApiError('BANK_NOT_FOUND', `no bank ${bankId} of tenant ${item.tenant}`);
    const image = item.blob_key ? await this.blobs.get(item.blob_key) : undefined;
    if (!image)
      throw new ApiError('IMAGE_UNAVAILABLE', `the image of review item ${item.id} is no longer stored`);
    const actor = { userId: user.id, name: user.displayName };
    // Hashing before resolving: an image the bank cannot take refuses the whole action, not half of it.
    const value = await this.bankService.preview(bank, { image });
    return async (note) => {
      await this.bankService.addValue(bank, value, { source: 'review', actor, note });
    };
  }

  /** The nearest items humans decided in the item's tenant, in queues the user may open. */
  async similar(user: ConsoleUser, item: ItemRef): Promise<SimilarCase[]> {
    const query = await this.cases.embeddingOf(item.submission_id, item.model_id);
    if (!query) return [];
    const membership = user.memberships.find((m) => m.tenant === item.tenant);
    const queues = QUEUE_KINDS.filter((q) => membership && can(membership.role, queueCapability(q)));
    const candidates = await this.cases.humanDecided(
      item.tenant,
      item.model_id,
      this.env.CLIPGUARD_SIMILAR_SCAN_LIMIT,
      item.submission_id,
      queues,
    );
    return nearest(query, candidates, SIMILAR_CASES).map((c) => ({
      item_id: c.itemId,
      submission_id: c.submissionId,
      similarity: c.similarity,
      verdict: c.verdict,
      labels: c.labels,
      resolved_at: c.resolvedAt.toISOString(),
      resolved_by: c.resolvedBy,
      image_url: `/v1/console/items/${c.itemId}/image`,
    }));
  }
}
