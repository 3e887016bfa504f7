import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './load';

const policyVersion = z.strictObject({
  id: z.string().min(1),
  version: z.number().int().positive(),
  /** A version scored alongside the live one and recorded, never acted on (shadow evaluation). */
  shadow: z.number().int().positive().optional(),
});

export const tenantSchema = z.strictObject({
  name: z.string().min(1),
  policy: policyVersion,
  /** Names of environment variables holding the webhook signing secrets (several, for rotation). */
  webhook_secret_envs: z.array(z.string().min(1)).default([]),
  callback_url: z.url().optional(),
  /** Environment variable holding the secret callbacks are signed with (Standard Webhooks, whsec_…). */
  callback_secret_env: z.string().min(1).optional(),
  /** Environment variables holding API keys for the moderation API. */
  api_key_envs: z.array(z.string().min(1)).default([]),
  /** Requests per minute for this tenant (default: CLIPGUARD_RATE_LIMIT_PER_MINUTE). */
  rate_limit_per_minute: z.number().int().positive().optional(),
  /** How long an item may wait in a review queue before it breaches the tenant's SLA. */
  review_sla_minutes: z.number().int().positive().default(60),
  /** Review triggers beyond the review verdict: a score band per category (A2I-style). */
  review_bands: z
    .record(z.string(), z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]))
    .default({}),
});

export const tenantsFileSchema = z.strictObject({
  tenants: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/), tenantSchema),
});

export type TenantConfig = z.infer<typeof tenantSchema>;
export type TenantsFile = z.infer<typeof tenantsFileSchema>;

/** A tenant's configuration by name; own entries only, so "constructor" or "__proto__" are unknown tenants. */
export function tenantConfig(tenants: TenantsFile, name: string): TenantConfig | undefined {
  return Object.hasOwn(tenants.tenants, name) ? tenants.tenants[name] : undefined;
}

/** Reads `config/tenants.yaml`: which policy version is live (and shadowed) for each tenant. */
export function loadTenants(file: string): TenantsFile {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = tenantsFileSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`${file}:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
