export const ENV = Symbol('ENV');
export const DB = Symbol('DB');
export const POLICIES = Symbol('POLICIES');
export const TENANTS = Symbol('TENANTS');
export const LOGGER = Symbol('LOGGER');
