export const ENGINE = Symbol('ENGINE');
export const LIVE = Symbol('LIVE');
export const BANKS = Symbol('BANKS');
