// Its own entry point (`@cxauth/platform/tracing`): main.ts loads it before the rest of the platform.
export * from './start-tracing';
