import { z } from 'zod';

/**
 * `/auth/v3/ops/lockouts?user=…|client=…|source=…`: exactly one account or source. `user` is
 * `tenant\username` as typed at sign-in (the ops user: its bare name), or `<contactCenterId>\<username>`
 * for the change-password counter; `source` is an IP address.
 */
export const lockoutQuerySchema = z
  .strictObject({
    user: z.string().min(1).max(768).optional(),
    client: z.string().min(1).max(1024).optional(),
    source: z.union([z.ipv4(), z.ipv6()]).optional(),
  })
  .refine((query) => [query.user, query.client, query.source].filter((value) => value !== undefined).length === 1, {
    message: 'give exactly one of user, client or source',
  });

export type LockoutQuery = z.infer<typeof lockoutQuerySchema>;
