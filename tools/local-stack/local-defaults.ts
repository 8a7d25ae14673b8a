/** The local run's defaults, shared by the entry point and the services it loads later. */
export const LOCAL_OPS_USER = 'ops';
/** Local run only: no chart or image has a default ops password. */
export const LOCAL_OPS_PASSWORD = 'ops';
/** PostgreSQL connections per service; the embedded database accepts three services' worth. */
export const POOL_SIZE_PER_SERVICE = 2;
