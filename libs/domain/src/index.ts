export * from './envelope/envelope';
export * from './errors/error-code';
export * from './errors/domain.exception';
export * from './identity/tenant-user-name';
export * from './ports/user-directory.port';
export * from './ports/token-store.port';
export * from './identity/token-principal';
export * from './ports/authorization-code-store.port';
