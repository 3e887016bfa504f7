export * from './job-options';
export * from './redis';
export * from './connection';
