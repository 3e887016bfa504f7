export * from './vega';
export * from './html';
