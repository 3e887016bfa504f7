import { z } from 'zod';
import { PDQ_DEFAULT_MAX_DISTANCE } from '../pdq/pdq-hash';

export const BANK_KINDS = ['sha256', 'pdq', 'embedding'] as const;
export type BankKind = (typeof BANK_KINDS)[number];
export const BANK_ACTIONS = ['block', 'review', 'allow'] as const;
export type BankAction = (typeof BANK_ACTIONS)[number];

/** Past this a PDQ "match" is no better than chance: unrelated images sit around 128 bits apart. */
export const PDQ_MAX_THRESHOLD = 96;
/** Every tenant's traffic is checked against a bank whose tenants list holds this. */
export const ALL_TENANTS = '*';

/**
 * A bank definition, as stored and as accepted from the API or a file. `threshold` is per kind: the
 * largest PDQ Hamming distance that matches, or the smallest cosine similarity of CLIP embeddings that
 * matches; sha256 banks match exactly and ignore it.
 */
export const bankSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes'),
    title: z.string().min(1).max(200),
    description: z.string().max(2000).default(''),
    tenants: z.array(z.string().min(1)).min(1),
    kind: z.enum(BANK_KINDS),
    threshold: z.number().finite(),
    action: z.enum(BANK_ACTIONS),
    enabled: z.boolean().default(true),
    /** Embedding banks: the model whose embeddings the bank holds; other models' embeddings are not compared. */
    modelId: z.string().min(1).optional(),
    /** PDQ banks: also match the query's seven rotations and mirrors (see docs/banks.md). */
    matchDihedral: z.boolean().default(true),
  })
  .superRefine((bank, ctx) => {
    const issue = (message: string, path: string) => ctx.addIssue({ code: 'custom', message, path: [path] });
    if (
      bank.kind === 'pdq' &&
      !(Number.isInteger(bank.threshold) && bank.threshold >= 0 && bank.threshold <= PDQ_MAX_THRESHOLD)
    ) {
      issue(
        `a PDQ threshold is a whole number of bits from 0 to ${PDQ_MAX_THRESHOLD} (Meta suggests ${PDQ_DEFAULT_MAX_DISTANCE})`,
        'threshold',
      );
    }
    if (bank.kind === 'embedding' && !(bank.threshold > 0 && bank.threshold <= 1)) {
      issue('an embedding threshold is a cosine similarity in (0, 1]', 'threshold');
    }
    if (bank.kind === 'embedding' && !bank.modelId) issue('an embedding bank names its modelId', 'modelId');
  });

export type Bank = z.output<typeof bankSchema>;
export type BankInput = z.input<typeof bankSchema>;

export function appliesToTenant(bank: Bank, tenant: string): boolean {
  return bank.tenants.includes(tenant) || bank.tenants.includes(ALL_TENANTS);
}
