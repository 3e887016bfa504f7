export const POLICIES = Symbol('POLICIES');
