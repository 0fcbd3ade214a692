import type { MikroORM } from '@mikro-orm/postgresql';
import { commitWithAuditEvents, writeAuditEvents } from '../audit/audit.writer';
import { answerAfterFailedCommit, type Answer } from './commit-failure';
import type { RequestContext } from './context';
import type { ServiceUnavailableError } from './errors';
import { undoneMutationErrors, type AnswerError } from './undone-mutation';

/** How an operation's transaction ended, and what to answer. */
export interface OperationEnd<E> {
  /** `committed`; `undone`: a mutation rolled back (its answer said it failed); `not committed`: COMMIT failed, nothing kept. */
  outcome: 'committed' | 'undone' | 'not committed';
  /** The answer to send: the operation's own unless the ending changed it. */
  answer: Answer<E | ServiceUnavailableError>;
  /** The database was unavailable: the whole answer is a retryable SERVICE_UNAVAILABLE. */
  unavailable: boolean;
}

/**
 * Ends an operation's transaction before its answer is sent, over HTTP (app.ts) and WebSocket
 * (live/websocket.ts) alike, so that an answer never says "done" of a change that was not kept:
 * - a mutation whose answer says it failed (graphql/undone-mutation.ts) is rolled back, its audit
 *   events written in a transaction of their own (marked rolled back; lost if the database is
 *   gone), and it answers data null with the undone errors;
 * - otherwise the transaction commits, its audit events in the same message as COMMIT;
 * - a COMMIT that fails answers as graphql/commit-failure.ts says, nothing having been kept.
 */
export async function endOperation<E extends AnswerError>(ctx: RequestContext, orm: MikroORM, answer: Answer<E>, isMutation: boolean): Promise<OperationEnd<E>> {
  const undone = isMutation ? undoneMutationErrors(answer) : undefined;
  if (undone) {
    ctx.db.abort();
    await ctx.db.finish().catch((err) => ctx.log.error({ err }, 'rollback failed'));
    await writeAuditEvents(ctx, orm).catch((err) => ctx.log.error({ err }, 'audit events of an undone mutation not written'));
    return { outcome: 'undone', answer: { data: null, errors: undone }, unavailable: false };
  }
  try {
    await commitWithAuditEvents(ctx, orm);
    return { outcome: 'committed', answer, unavailable: false };
  } catch (err) {
    ctx.log.error({ err }, 'the operation\'s transaction did not commit');
    return { outcome: 'not committed', ...answerAfterFailedCommit(answer, isMutation, err) };
  }
}
