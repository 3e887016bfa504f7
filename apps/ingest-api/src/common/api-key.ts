import { secretsFromEnv, type TenantsFile } from '@clipguard/config';
import { ApiError } from '@clipguard/contracts';

/** The tenant whose API key is presented as `Authorization: Bearer <key>`. */
export function tenantForApiKey(tenants: TenantsFile, authorization: string | undefined): string {
  const key = authorization?.replace(/^Bearer\s+/i, '');
  const tenant =
    key && Object.entries(tenants.tenants).find(([, t]) => secretsFromEnv(t.api_key_envs).includes(key))?.[0];
  if (!tenant)
    throw new ApiError(401, 'API_KEY_INVALID', 'a valid API key is required (Authorization: Bearer …)');
  return tenant;
}
