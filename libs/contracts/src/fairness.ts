import { z } from 'zod';

/** `ID` or `ID@vN`: a policy, optionally one version of it (`shapes@v2`). */
export interface PolicyRefInput {
  id: string;
  version?: number;
}

const POLICY_REF = /^([a-z][a-z0-9_-]*)(?:@v([1-9][0-9]{0,8}))?$/;

export const policyRefSchema = z
  .string()
  .regex(POLICY_REF, 'a policy id, optionally with a version: ID or ID@vN (for example shapes@v2)')
  .transform((s): PolicyRefInput => {
    const [, id, version] = POLICY_REF.exec(s) ?? [];
    return version ? { id, version: Number(version) } : { id };
  });

/** `ID@vN` only: commands and endpoints about one version. */
export const policyVersionSchema = policyRefSchema.refine(
  (p): p is Required<PolicyRefInput> => p.version !== undefined,
  'needs a version: ID@vN (for example shapes@v2)',
);

/** An ISO 8601 date-time with an offset, or a date (midnight UTC). */
export const timeBoundSchema = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((s) => new Date(s));

const windowShape = {
  since: timeBoundSchema.optional(),
  until: timeBoundSchema.optional(),
};
const ordered = (q: { since?: Date; until?: Date }) => !q.since || !q.until || q.since < q.until;
const orderMessage = { message: 'since must be before until', path: ['since'] };

/**
 * `GET /v1/console/fairness` and `/v1/console/drift`: one policy version, an optional window (default: the
 * last CLIPGUARD_FAIRNESS_WINDOW_HOURS), and the tenant (one the user audits).
 */
export const consoleFairnessQuerySchema = z
  .strictObject({ policy: policyVersionSchema, tenant: z.string().min(1).max(100), ...windowShape })
  .refine(ordered, orderMessage);
export type ConsoleFairnessQuery = z.infer<typeof consoleFairnessQuerySchema>;

/** `GET /v1/reports/fairness` (API key): the tenant is the key's; the policy defaults to its live version. */
export const fairnessReportQuerySchema = z
  .strictObject({ policy: policyRefSchema.optional(), ...windowShape })
  .refine(ordered, orderMessage);
export type FairnessReportQuery = z.infer<typeof fairnessReportQuerySchema>;
