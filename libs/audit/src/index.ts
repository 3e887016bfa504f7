export * from './audit-chain';
export * from './fairness';
