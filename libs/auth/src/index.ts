export * from './capabilities';
export * from './passwords';
export * from './tokens';
