import { z } from 'zod';
import { envelopeRequest, jsonBoolean } from '@cxauth/platform';
import { httpUrlSchema, locationSchema } from '../../common/schemas';

/** Locations are compared case-insensitively and stored lowercased (`/USW1` → `/usw1`). */
const dataCenterLocation = locationSchema
  .refine((value) => value !== '/', 'must name a region, e.g. /usw1')
  .transform((value) => value.toLowerCase());

export const createDataCenterSchema = envelopeRequest(
  z.strictObject({
    location: dataCenterLocation,
    entryPoint: httpUrlSchema,
    readOnly: jsonBoolean.default(false),
  }),
);

export const updateDataCenterSchema = envelopeRequest(
  z.strictObject({
    location: dataCenterLocation.optional(),
    entryPoint: httpUrlSchema.optional(),
    readOnly: jsonBoolean.optional(),
  }),
);

export type CreateDataCenterRequest = z.infer<typeof createDataCenterSchema>;
export type UpdateDataCenterRequest = z.infer<typeof updateDataCenterSchema>;
