import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  BankError,
  bankSchema,
  entryValueFor,
  PDQ_DEFAULT_MAX_DISTANCE,
  type Bank,
  type EntryInput,
  type EntrySource,
  type EntryValue,
} from '@clipguard/banks';
import { engineConfigFromEnv, type AppEnv } from '@clipguard/config';
import {
  ApiError,
  describeIssues,
  type BankBody,
  type BankEntryBody,
  type BankEntryView,
  type BankView,
  isUuid,
} from '@clipguard/contracts';
import { ENV } from '@clipguard/infra';
import { BankRepository, EmbeddingRepository, type Actor } from '@clipguard/storage';
import { bankView, entryView, writableBy } from './bank-view';

const notFound = (id: string) => new ApiError('BANK_NOT_FOUND', `no bank ${id}`);

/** What is added to a bank, by whom and from where. */
export interface NewEntry {
  input: EntryInput;
  source: EntrySource;
  actor: Actor;
  note: string;
}

/** Banks seen from one tenant: its own and the shared ones; it changes only its own. */
@Injectable()
export class BankService {
  constructor(
    private readonly banks: BankRepository,
    private readonly embeddings: EmbeddingRepository,
    @Inject(ENV) private readonly env: AppEnv,
  ) {}

  async list(tenants: readonly string[], viewer: string): Promise<BankView[]> {
    return (await this.banks.summaries(tenants)).map((b) => bankView(b, viewer));
  }

  async get(tenant: string, id: string): Promise<BankView & { recent_entries: BankEntryView[] }> {
    const summary = (await this.banks.summaries([tenant])).find((b) => b.id === id);
    if (!summary) throw notFound(id);
    const recent = await this.banks.listEntries(id, 100);
    return { ...bankView(summary, tenant), recent_entries: recent.map(entryView) };
  }

  /** Creates or changes a bank of this tenant; an id another tenant holds is refused. */
  async save(tenant: string, body: BankBody, actor: Actor): Promise<BankView> {
    const existing = await this.banks.find(body.id);
    if (existing && !(existing.tenants.length === 1 && existing.tenants[0] === tenant))
      throw new ApiError('BANK_ID_TAKEN', `bank id ${body.id} is taken; choose another`);
    const parsed = bankSchema.safeParse({
      id: body.id,
      title: body.title,
      description: body.description,
      tenants: [tenant],
      kind: body.kind,
      threshold:
        body.threshold ??
        (body.kind === 'pdq' ? PDQ_DEFAULT_MAX_DISTANCE : body.kind === 'sha256' ? 0 : undefined),
      action: body.action,
      enabled: body.enabled,
      modelId: body.model_id,
      matchDihedral: body.match_dihedral,
    });
    if (!parsed.success) throw new ApiError('BANK_INVALID', describeIssues(parsed.error));
    await this.banks.saveBank(parsed.data, actor);
    return this.get(tenant, body.id).then(({ recent_entries: _recent, ...view }) => view);
  }

  /** A bank the tenant may add to or remove from; another tenant's is not found, a shared one read-only. */
  async writable(tenant: string, id: string): Promise<Bank> {
    const bank = await this.banks.find(id);
    if (!bank || !(writableBy(bank, tenant) || bank.tenants.includes('*'))) throw notFound(id);
    if (!writableBy(bank, tenant))
      throw new ApiError('BANK_READ_ONLY', `bank ${id} is shared by the operator; change it with the CLI`);
    return bank;
  }

  /** The entry value the input gives for this bank, or the BankError that refuses it. */
  preview(bank: Bank, input: EntryInput) {
    return entryValueFor(bank, input, {
      limits: engineConfigFromEnv(this.env).limits,
      embeddingOf: async (_image, sha256, modelId) => (await this.embeddings.find(sha256, modelId))?.[0],
    });
  }

  async addEntry(bank: Bank, entry: NewEntry): Promise<{ entry: BankEntryView; duplicate: boolean }> {
    return this.addValue(bank, await this.preview(bank, entry.input), entry);
  }

  /** Adds a value already checked against the bank (preview). */
  async addValue(
    bank: Bank,
    value: EntryValue,
    entry: Omit<NewEntry, 'input'>,
  ): Promise<{ entry: BankEntryView; duplicate: boolean }> {
    const id = randomUUID();
    const change = await this.banks.addEntry(
      {
        id,
        bankId: bank.id,
        value,
        source: entry.source,
        addedBy: entry.actor.name,
        addedAt: new Date().toISOString(),
        note: entry.note,
      },
      entry.actor,
    );
    if (change.type !== 'entry-added') throw new BankError('ENTRY_INVALID', 'the entry was not added');
    return { entry: entryView(change.entry), duplicate: change.entry.id !== id };
  }

  async removeEntry(tenant: string, bankId: string, entryId: string, actor: Actor): Promise<void> {
    await this.writable(tenant, bankId);
    if (!isUuid(entryId) || !(await this.banks.removeEntry(bankId, entryId, actor)))
      throw new ApiError('ENTRY_NOT_FOUND', `bank ${bankId} has no entry ${entryId}`);
  }
}

/** The API body's one value as the banks library takes it. */
export function entryInput(body: BankEntryBody): EntryInput {
  if (body.image_base64 !== undefined) return { image: Buffer.from(body.image_base64, 'base64') };
  if (body.sha256 !== undefined) return { sha256: body.sha256 };
  if (body.pdq !== undefined) return { pdq: body.pdq.hash, quality: body.pdq.quality };
  return { embedding: body.embedding ?? [] };
}
