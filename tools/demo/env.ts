/** The demo's configuration: the tiny test CLIP, its shapes policy, one tenant, fixed demo secrets. */
export const DEMO_ENV: Record<string, string> = {
  CLIPGUARD_MODEL_DIR: 'test/fixtures/models/tiny-clip',
  CLIPGUARD_POLICIES_DIR: 'test/fixtures/policies',
  CLIPGUARD_TENANTS_FILE: 'config/tenants.demo.yaml',
  CLIPGUARD_DEMO_WEBHOOK_SECRET: 'whsec_ZGVtby13ZWJob29rLXNlY3JldC0wMDAx',
  CLIPGUARD_DEMO_API_KEY: 'demo-key',
  // A fifth of the automatic decisions go to the QA queue, so a lead has something to check.
  CLIPGUARD_REVIEW_SAMPLE_RATE: '0.2',
};

/** The demo's settings under whatever the caller set explicitly. */
export const demoEnv = (): NodeJS.ProcessEnv => ({ ...DEMO_ENV, ...process.env });
