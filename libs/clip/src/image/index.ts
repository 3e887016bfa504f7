export * from './preprocess';
export * from './preprocess-config';
export * from './sniff';
