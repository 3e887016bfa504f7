export * from './policies/policy-files';
export * from './policies/compiled-policy-cache';
export * from './policies/policy-catalog';
export * from './policies/live-policies';
