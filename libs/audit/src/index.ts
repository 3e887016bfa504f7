export * from './audit-chain';
export * from './checkpoint';
