/** Injection tokens for the infrastructure every app shares. */
export const ENV = Symbol('ENV');
export const LOGGER = Symbol('LOGGER');
export const DB = Symbol('DB');
export const REDIS = Symbol('REDIS');
export const BLOBS = Symbol('BLOBS');
export const TENANTS = Symbol('TENANTS');
