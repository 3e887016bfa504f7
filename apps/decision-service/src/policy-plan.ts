import type { CompiledPolicy } from '@clipguard/policy';
import type { PolicyCatalog } from '@clipguard/storage';

/** What deciding needs of a policy version: its rules and prompt order, not its prompt embeddings. */
export type PolicyPlan = Pick<CompiledPolicy, 'policy' | 'hash' | 'prompts'>;
export type PolicyPlans = PolicyCatalog<PolicyPlan>;
