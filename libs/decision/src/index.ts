export * from './decision';
export * from './review-trigger';
