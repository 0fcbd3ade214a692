import pg from 'pg';
import type { Logger } from 'pino';

export interface DoorbellHandlers {
  /** Something new may be in the log (a notification, a reconnect, or the fallback poll). */
  ring(): void;
  /** A user's account changed (deactivated, roles, clearance, organisation). */
  userChanged(userId: string): void;
}

/**
 * LISTENs for the log's doorbell on a connection of its own, reconnecting with backoff when the
 * connection drops, and rings on a slow timer as well: a notification missed while
 * reconnecting only delays events, never loses them, because the log is the source of truth.
 */
export class Doorbell {
  private client: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private backoffMs = 100;

  constructor(
    private readonly databaseUrl: string,
    private readonly handlers: DoorbellHandlers,
    private readonly log: Logger,
    private readonly pollMs: number,
  ) {}

  async start(): Promise<void> {
    await this.connect();
    this.timer = setInterval(() => this.handlers.ring(), this.pollMs);
    this.timer.unref();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: 'soc-hub-live' });
    client.on('notification', (msg) => {
      if (msg.channel === 'soc_live_event') this.handlers.ring();
      else if (msg.channel === 'soc_live_user' && msg.payload) this.handlers.userChanged(msg.payload);
    });
    client.on('error', (err) => {
      this.log.warn({ err }, 'live event listener lost its connection; reconnecting');
      this.scheduleReconnect(client);
    });
    client.on('end', () => this.scheduleReconnect(client));
    await client.connect();
    await client.query('listen soc_live_event; listen soc_live_user');
    this.client = client;
    this.backoffMs = 100;
    this.handlers.ring(); // anything committed while we were not listening
  }

  private scheduleReconnect(dead: pg.Client): void {
    if (this.stopped || this.client !== dead || this.reconnectTimer) return;
    this.client = undefined;
    dead.end().catch(() => undefined);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect().catch((err) => {
        this.log.warn({ err }, 'live event listener could not reconnect yet');
        this.backoffMs = Math.min(this.backoffMs * 2, 5_000);
        this.client = dead; // so the next attempt is scheduled
        this.scheduleReconnect(dead);
      });
    }, this.backoffMs);
    this.reconnectTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.reconnectTimer);
    await this.client?.end().catch(() => undefined);
  }
}
