export * from './env';
export * from './clip-config';
export * from './load';
export * from './logger';
export * from './tenants';
export * from './pipeline-config';
export * from './nest-logger';
export * from './metrics-server';
