export * from './webhook';
export * from './jobs';
export * from './api-error';
export * from './text';
export * from './console';
export * from './fairness';
export * from './banks';
