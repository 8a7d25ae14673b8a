import { z } from 'zod';
import { envelopeRequest, normalizeOrigin } from '@cxauth/platform';
import { uuidSchema } from '../../common/schemas';

const originSchema = z
  .string()
  .max(2048)
  .transform((value, context) => {
    const origin = normalizeOrigin(value);
    if (!origin) {
      context.addIssue({
        code: 'custom',
        message: 'must be an http(s) origin such as https://app.example.com (no path)',
      });
      return z.NEVER;
    }
    return origin;
  });

export const corsOriginSchema = envelopeRequest(z.strictObject({ contactCenterId: uuidSchema, origin: originSchema }));

export type CorsOriginRequest = z.infer<typeof corsOriginSchema>;
