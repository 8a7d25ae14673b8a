import { z } from 'zod';

/**
 * JSON scalars as the product's parser (Jackson) reads them: a number or a boolean may come as a
 * string ("43200", "false") — installers' scripts template their values in quotes.
 */
export const jsonBoolean = z
  .union([z.boolean(), z.enum(['true', 'false'], { message: 'must be true or false' })])
  .transform((value) => value === true || value === 'true');

/** A whole number between `min` and `max`, also as a string of digits. */
export function jsonInteger(min: number, max: number) {
  return z
    .union(
      [
        z.number(),
        z
          .string()
          .regex(/^-?\d{1,15}$/)
          .transform(Number),
      ],
      { message: 'must be a number' },
    )
    .pipe(z.number().int('must be a whole number').min(min).max(max));
}
