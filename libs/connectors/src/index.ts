export * from './core/types';
export * from './core/errors';
export * from './core/scope';
export * from './core/type-family';
export * from './core/address-policy';
export * from './core/address-forms';
export * from './core/guarded-agent';
export * from './core/guarded-fetch';
export * from './core/diagnostics';
export * from './core/config-spec';
export * from './core/registry';
// The service's bulk writes slice lists the same way the connectors do.
export { chunk } from './core/lists';
// Profile suggestions judge secret-looking columns by name alone, as profiles do.
export { looksSecret } from './core/profile-guard';
export * from './all';
