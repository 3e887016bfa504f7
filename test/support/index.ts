export * from './paths';
export * from './shapes';
export * from './cli';
export * from './webhooks';
export * from './images';
export * from './stack';
export * from './tiny-clip-held-out';
