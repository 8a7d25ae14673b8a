export * from './test-env';
export * from './test-database';
export * from './create-test-app';
export * from './tcp-proxy';
export * from './redis-servers';
export * from './postgres-tls-server';
export * from './readiness-balancer';
export * from './certificate-chain';
