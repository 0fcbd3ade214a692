import type { CombinedError } from 'urql';

/** The server's BAD_USER_INPUT messages by field path (without "input."), and the rest. */
export interface FormErrors {
  fields: Record<string, string[]>;
  general: string[];
}

export const noErrors: FormErrors = { fields: {}, general: [] };

interface FieldProblem {
  field: string;
  message: string;
}

/** Splits a mutation error into messages for named fields and messages for the whole form. */
export function formErrors(error: CombinedError | undefined): FormErrors {
  if (!error) return noErrors;
  const result: FormErrors = { fields: {}, general: [] };
  if (error.networkError) result.general.push('The server could not be reached. Nothing was saved.');
  for (const e of error.graphQLErrors) {
    const problems = (e.extensions?.fields ?? []) as FieldProblem[];
    if (!problems.length) result.general.push(describe(e.extensions?.code as string | undefined, e.message));
    for (const p of problems) {
      const key = p.field.replace(/^input\./, '');
      (result.fields[key] ??= []).push(p.message);
    }
  }
  return result;
}

/** Messages for a field and anything under it (e.g. evidenceRefs[0] under evidenceRefs). */
export function messagesFor(errors: FormErrors, field: string): string[] {
  return Object.entries(errors.fields)
    .filter(([key]) => key === field || key.startsWith(`${field}.`) || key.startsWith(`${field}[`))
    .flatMap(([, messages]) => messages);
}

/** Field messages no control on the form claims, so none is lost. */
export function unclaimedMessages(errors: FormErrors, claimed: string[]): string[] {
  const claimedBy = (key: string) => claimed.some((f) => key === f || key.startsWith(`${f}.`) || key.startsWith(`${f}[`));
  return Object.entries(errors.fields)
    .filter(([key]) => !claimedBy(key))
    .flatMap(([key, messages]) => messages.map((m) => `${key}: ${m}`));
}

function describe(code: string | undefined, message: string): string {
  if (code === 'CONFLICT') return `Someone else changed this record just before you: nothing of yours was saved. Check it as it is now and try again. (${message})`;
  if (code === 'FORBIDDEN') return `Not allowed: ${message}`;
  return message;
}

/** A query error as one line for the page. */
export function errorText(error: CombinedError): string {
  return formErrors(error).general.join(' ') || error.message;
}
