import { z } from 'zod';

export class ConfigValidationError extends Error {
  constructor(
    public readonly service: string,
    public readonly problems: string[],
  ) {
    super(`${service}: invalid configuration\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/**
 * Validates the environment once, at boot. Every problem names its variable, so an operator can
 * fix all of them in one go.
 */
export function loadConfig<S extends z.ZodType>(
  service: string,
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const withoutBlanks = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const result = schema.safeParse(withoutBlanks);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const missing = issue.code === 'invalid_type' && withoutBlanks[variable] === undefined;
    return `${variable} ${missing ? 'is required' : issue.message}`;
  });
  throw new ConfigValidationError(service, problems);
}

/** The names of the variables a schema cannot do without (no default, not optional). */
export function requiredVariables(schema: z.ZodObject): string[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => !(field as z.ZodType).safeParse(undefined).success)
    .map(([name]) => name)
    .sort();
}
