export * from './webhook';
export * from './jobs';
export * from './api-error';
