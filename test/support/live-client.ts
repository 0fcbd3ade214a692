import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { purposeFor } from './purposes';

export const EVENT_FIELDS = `cursor type recordType recordId changedFields at actor { username }
  record { id ... on SocThreat { name sharing } ... on SafeguardingReferral { reference } ... on Disruption { id } }`;

/**
 * The live log's position now, as `username` is told it (`eventCursor`): a subscription given it as
 * `after` hears exactly what commits after this, whenever the instance reads it. Without it, a
 * subscription hears what its instance reads from the log after registering it, which may still
 * include a record's creation committed just before (a leading CREATED, at load).
 */
export async function cursorNow(app: { gql(username: string, query: string): Promise<{ data?: any; errors?: unknown }> }, username = 'serocu.analyst'): Promise<string> {
  const answer = await app.gql(username, '{ eventCursor }');
  if (!answer.data?.eventCursor) throw new Error(`no event cursor for ${username}: ${JSON.stringify(answer.errors)}`);
  return answer.data.eventCursor;
}

/**
 * A real graphql-ws client holding one subscription, collecting what arrives so a test can wait
 * for the n-th message. Errors and closes are collected too.
 */
export class LiveSubscription {
  readonly received: any[] = [];
  readonly errors: unknown[] = [];
  /** Every message as it arrived, data and errors together. */
  readonly messages: { data?: unknown; errors?: unknown[] }[] = [];
  closeCode: number | undefined;
  /** The server accepted the connection (connection_ack): the caller is authenticated and the socket counted as theirs. */
  connected = false;
  completed = false;
  private readonly client: Client;
  private readonly waiters: (() => void)[] = [];
  private readonly unsubscribe: () => void;

  constructor(baseUrl: string, token: string, query: string, variables: Record<string, unknown> = {}, purpose: string | null = 'INVESTIGATION') {
    this.client = createClient({
      url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}`, ...(purpose ? { purpose } : {}) },
      retryAttempts: 0,
      lazy: false,
      // A dropped socket is recorded (closeCode) and asserted by the tests that cause it; graphql-ws
      // would otherwise print the whole close event to the console.
      onNonLazyError: () => undefined,
      on: {
        connected: () => {
          this.connected = true;
          this.wake();
        },
        closed: (event: any) => (this.closeCode = event?.code) && this.wake(),
      },
    });
    this.unsubscribe = this.client.subscribe(
      { query, variables },
      {
        next: (value) => {
          this.messages.push(value as { data?: unknown; errors?: unknown[] });
          if (value.errors) this.errors.push(...value.errors);
          else this.received.push(value.data);
          this.wake();
        },
        error: (err) => {
          this.errors.push(err);
          this.wake();
        },
        complete: () => {
          this.completed = true;
          this.wake();
        },
      },
    );
  }

  private wake(): void {
    this.waiters.splice(0).forEach((w) => w());
  }

  /**
   * Waits until `predicate` holds (checked on every message), failing after `timeoutMs`: a bound
   * for what must happen, not a measure of speed (the bench measures that). 30 s as the browser
   * tests' waits: in a loaded CI run one threat took 4 s to create, and 10 s was too short for three.
   */
  async until(predicate: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; received ${JSON.stringify(this.received)} errors ${JSON.stringify(this.errors)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits for at least `n` messages and returns them. */
  async take(n: number, timeoutMs?: number): Promise<any[]> {
    await this.until(() => this.received.length >= n, `${n} events`, timeoutMs);
    return this.received.slice(0, n);
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await this.client.dispose();
  }
}

/**
 * A graphql-ws connection for queries and mutations: `run` sends one operation and resolves with
 * its whole result (data and errors, or the error graphql-ws reports for a refused operation).
 */
export async function openSocket(
  app: { url: string; tokenFor(username: string): Promise<string>; defaultPurpose?(username: string): Promise<string | null> },
  username: string,
  purpose?: string | null,
  token?: string,
) {
  // Unless told: the user's default purpose (test/support/purposes.ts), by their roles now.
  const stated = purpose !== undefined ? purpose : app.defaultPurpose ? await app.defaultPurpose(username) : purposeFor(username);
  const client = createClient({
    url: `${app.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token ?? (await app.tokenFor(username))}`, ...(stated ? { purpose: stated } : {}) },
    retryAttempts: 0,
  });
  return {
    run(query: string, variables: Record<string, unknown> = {}): Promise<{ data?: any; errors?: any[] }> {
      return new Promise((resolve) => {
        let result: { data?: any; errors?: any[] } = {};
        client.subscribe(
          { query, variables },
          {
            next: (value) => (result = value as typeof result),
            error: (err) => resolve({ errors: Array.isArray(err) ? err : [err] }),
            complete: () => resolve(result),
          },
        );
      });
    },
    close: () => client.dispose(),
  };
}
