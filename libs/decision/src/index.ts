export * from './decision';
export * from './review-trigger';
export * from './embeddings';
