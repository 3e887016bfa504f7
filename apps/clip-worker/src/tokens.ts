export const ENV = Symbol('ENV');
export const DB = Symbol('DB');
export const BLOBS = Symbol('BLOBS');
export const ENGINE = Symbol('ENGINE');
export const LIVE = Symbol('LIVE');
export const LOGGER = Symbol('LOGGER');
