/** An answer as both transports hold it (formatted errors over HTTP, GraphQLErrors over WebSocket). */
interface MutationAnswer<E> {
  data?: Record<string, unknown> | null;
  errors?: readonly E[];
}

export interface AnswerError {
  message: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

/**
 * A mutation must not keep a change its caller was told failed. That is the case when
 * - a top-level field of the mutation answered null with an error: the service may have saved its
 *   change and only then failed (reading the record back, a non-null field that came back null),
 *   and the caller sees only the failure; or
 * - any part of the answer was refused for want of a purpose (PURPOSE_REQUIRED): the change was
 *   made but the caller may not be shown what it made.
 * Returns the errors to answer with (data null, the whole request undone), or undefined when the
 * answer stands. One failed field undoes a request's other mutation fields too: a request is one
 * transaction, and an answer saying "part of it was kept" would have to be exact to be true.
 */
export function undoneMutationErrors<E extends AnswerError>(answer: MutationAnswer<E>): E[] | undefined {
  const errors = answer.errors ?? [];
  if (!errors.length) return undefined;
  const refusedForPurpose = errors.some((e) => e.extensions?.code === 'PURPOSE_REQUIRED');
  if (!refusedForPurpose && !errors.some((e) => failedAtTopLevel(answer.data, e))) return undefined;
  return errors.map((e) => (e.extensions?.code === 'PURPOSE_REQUIRED' ? { ...e, message: `Nothing was saved. ${e.message}` } : e));
}

/** Whether the error left its top-level mutation field (or the whole answer) null. */
function failedAtTopLevel(data: Record<string, unknown> | null | undefined, error: AnswerError): boolean {
  if (!data) return true;
  const field = error.path?.[0];
  return field === undefined || data[field] === null || data[field] === undefined;
}
