import { hash, timingSafeEqual } from 'node:crypto';

// crypto.hash (one shot) rather than createHash: no Hash object per call, on the hot path of every
// token request.

/** Compares two secrets in time independent of where they differ (and of their lengths). */
export function constantTimeEquals(a: string, b: string): boolean {
  return timingSafeEqual(secretDigest(a), secretDigest(b));
}

export function sha256Hex(value: string): string {
  return hash('sha256', value, 'hex');
}

/** SHA-256 of a secret: what a service remembers of a secret that verified, never the secret itself. */
export function secretDigest(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}

/** Constant-time comparison of two digests (one hash fewer per side than constantTimeEquals). */
export function digestsEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
