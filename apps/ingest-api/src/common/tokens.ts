/** Injection tokens for the infrastructure the API shares with nothing else in-process. */
export const ENV = Symbol('ENV');
export const DB = Symbol('DB');
export const REDIS = Symbol('REDIS');
export const BLOBS = Symbol('BLOBS');
export const TENANTS = Symbol('TENANTS');
export const LOGGER = Symbol('LOGGER');
