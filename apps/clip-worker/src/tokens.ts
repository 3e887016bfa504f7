export const ENGINE = Symbol('ENGINE');
export const LIVE = Symbol('LIVE');
