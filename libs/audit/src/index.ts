export * from './audit-chain';
export * from './checkpoint';
export * from './fairness';
