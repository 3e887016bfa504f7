export * from './audit.repository';
export * from './callback.repository';
export * from './decision.repository';
export * from './embedding.repository';
export * from './health.repository';
export * from './review.repository';
export * from './submission.repository';
