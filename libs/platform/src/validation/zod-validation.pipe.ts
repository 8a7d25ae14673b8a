import { PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { DomainException } from '@cxauth/domain';

export interface FieldProblem {
  field: string;
  message: string;
}

export function describeIssues(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: issue.path.join('.') || '(body)',
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
}

/** Validates and parses a request part with a zod schema; failures become VALIDATION_FAILED (400). */
export class ZodValidationPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.infer<S> {
    // An empty JSON body parses to nothing (see body-parsing.ts).
    if (value === undefined) throw new DomainException('INVALID_REQUEST', 'A request body is required');
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    const problems = describeIssues(result.error);
    const summary = problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
    throw new DomainException('VALIDATION_FAILED', summary, { errors: problems });
  }
}

/** `{"data": {...}, "operationId"?: "..."}`, the request shape of the ops and environment APIs. */
export function envelopeRequest<S extends z.ZodType>(data: S) {
  return z.strictObject({ data, operationId: z.string().max(256).optional() });
}
