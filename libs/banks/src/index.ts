export * from './errors';
export * from './pdq/pdq-hash';
export * from './pdq/pdq';
export * from './pdq/dct';
export * from './pdq/pdq-image';
