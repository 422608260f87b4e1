/** Injection tokens for values that are not classes. */
export const ENV = Symbol('ENV');
export const LOGGER = Symbol('LOGGER');
export const WAREHOUSE = Symbol('WAREHOUSE');
export const STORE = Symbol('STORE');
