export * from './config-server-sim';
