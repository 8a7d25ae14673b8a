// Imported first by main.ts: tracing must start before Nest, pg and ioredis are loaded.
import { startTracing } from '@cxauth/platform/tracing';

startTracing('auth-api');
