import { ServiceUnavailableError } from './errors';

/** An answer as both transports hold it: data and errors (formatted or not). */
export interface Answer<E> {
  data?: Record<string, unknown> | null;
  errors?: readonly E[];
}

/**
 * PostgreSQL's "the transaction had already failed" (SQLSTATE 25P02): a statement of the request
 * itself failed earlier, so COMMIT (or the audit insert sent with it) could not keep anything.
 */
function isFailedTransaction(err: unknown): boolean {
  return (err as { code?: unknown } | undefined)?.code === '25P02';
}

/**
 * What to answer when the request's transaction did not commit, nothing of it being kept.
 * - A statement of the request failed, and the answer already has its error: that error stands
 *   (it says what went wrong better than anything here); a mutation's data goes, since none of it
 *   was kept. A query's data was read and stays.
 * - Otherwise (the connection died, a failure was swallowed): a retryable SERVICE_UNAVAILABLE in
 *   place of an answer that did not happen.
 */
export function answerAfterFailedCommit<E>(answer: Answer<E>, isMutation: boolean, err: unknown): { answer: Answer<E | ServiceUnavailableError>; unavailable: boolean } {
  if (isFailedTransaction(err) && answer.errors?.length) {
    return { answer: isMutation ? { data: null, errors: answer.errors } : answer, unavailable: false };
  }
  return { answer: { errors: [new ServiceUnavailableError()] }, unavailable: true };
}
