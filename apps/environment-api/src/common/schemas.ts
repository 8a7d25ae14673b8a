import { ParseUUIDPipe } from '@nestjs/common';
import { z } from 'zod';
import { DomainException } from '@cxauth/domain';

/** `/USW1`, `/usw1`, or `/` (all locations). */
export const locationSchema = z
  .string()
  .max(64)
  .regex(/^\/[A-Za-z0-9_-]*$/, 'must look like /USW1 (a slash, then letters, digits, - or _), or / for all');

/** Any 8-4-4-4-12 hex id (tenant ids need not be RFC 4122 variants; PostgreSQL's uuid takes them all). */
export const uuidSchema = z.guid({ message: 'must be a UUID' });

export const httpUrlSchema = z
  .string()
  .max(2048)
  .regex(/^https?:\/\/[^\s]+$/i, 'must be an http(s):// URL')
  .refine((value) => URL.canParse(value), 'is not a valid URL');

/** Path ids must be UUIDs: a malformed one is a 400 in the envelope, a well-formed unknown one a 404. */
export const UuidParam = new ParseUUIDPipe({
  exceptionFactory: () => new DomainException('VALIDATION_FAILED', 'id: must be a UUID'),
});

export const epochMs = (date: Date) => date.getTime();
