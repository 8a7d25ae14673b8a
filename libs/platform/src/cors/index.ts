export * from './cors-origins';
export * from './cors-policy';
export * from './cors-hook';
export * from './cors-notifications';
export * from './http-cors-origin-loader';
