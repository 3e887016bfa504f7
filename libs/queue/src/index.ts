export * from './job-options';
export * from './job-catalogue';
export * from './job-producer';
export * from './redis';
export * from './connection';
export * from './bounded';
