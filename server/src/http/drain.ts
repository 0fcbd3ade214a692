import http from 'node:http';
import net from 'node:net';

/**
 * Stopping the HTTP server without failing a request that a load balancer sends during the stop.
 *
 * A balancer (nginx) may retry a POST (every GraphQL request) on another replica only when it
 * knows the first did not run it: the connection was refused, or the replica answered 503 (which
 * this server answers only for work it did not do: docs/operations.md). A connection that drops
 * after the request was sent may have run it, so the client gets a 502. Two ways to drop one:
 * - closing an idle kept-alive connection just as the balancer writes a request on it;
 * - closing the listening socket while connections wait in the kernel's accept queue: the kernel
 *   resets them, though the balancer had already sent their requests (it saw the handshake
 *   complete). Under load the queue is rarely empty (CI's topology test failed on this).
 * So on shutdown the server (1) answers every new request 503 without running it (the lifecycle
 * gate in early-server.ts; deploy/nginx.conf replays it on another replica and, after a few,
 * stops choosing this one), each with `Connection: close`, while requests in progress finish;
 * (2) keeps listening until no connection has arrived for `quietMs`, the balancer having stopped
 * sending, so that the queue is empty when it stops listening (0: stop listening at once, for a
 * server with no balancer in front); (3) leaves idle connections for the balancer to close
 * (nginx's upstream keepalive_timeout is shorter than `idleConnectionMs`), closing only those
 * unused for longer than that; (4) destroys whatever is left after `gracePeriodMs`. For the same reason it
 * never closes idle connections first in normal running: its keep-alive timeout is longer than the
 * balancer's.
 */
export interface HttpDrainer {
  drain(): Promise<void>;
}

/** Longer than any balancer's idle timeout (nginx's default is 60 s; deploy/nginx.conf sets 4 s). */
const KEEP_ALIVE_MS = 65_000;

export interface DrainOptions {
  /** How long a connection no request has used is left for the balancer to close. */
  idleConnectionMs: number;
  /** Listen on until no connection has arrived for this long (0: stop listening at once). */
  quietMs: number;
  /** When whatever is still open is destroyed. */
  gracePeriodMs: number;
}

export function httpDrainer(server: http.Server, options: DrainOptions): HttpDrainer {
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1000;
  let draining = false;
  let lastConnectionAt = 0;
  /** Every open connection: the answers it has in progress (none: idle) and when it last finished one. */
  const connections = new Map<net.Socket, { answering: Set<http.ServerResponse>; idleSince: number }>();
  server.on('connection', (socket: net.Socket) => {
    lastConnectionAt = performance.now();
    connections.set(socket, { answering: new Set(), idleSince: lastConnectionAt });
    socket.once('close', () => connections.delete(socket));
  });
  // Before the application's own listener: it may answer at once (the lifecycle gate's 503), and
  // Node decides whether the connection stays open when it writes the headers. Marked after, a
  // 503 went out kept alive, the balancer used the connection again, and the idle sweep could
  // close it just as a request was written on it: a 502 (the topology test's flake under load).
  server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const connection = connections.get(req.socket);
    connection?.answering.add(res);
    res.once('close', () => {
      if (!connection) return;
      connection.answering.delete(res);
      connection.idleSince = performance.now();
    });
    // Node reads this when it writes the headers: the connection closes after this answer.
    if (draining) res.shouldKeepAlive = false;
  });

  /** Connections no request has used for `idleConnectionMs`: the balancer has had its time to close them. */
  const closeLongIdle = () => {
    const now = performance.now();
    for (const [socket, { answering, idleSince }] of connections) if (answering.size === 0 && now - idleSince >= options.idleConnectionMs) socket.end();
  };

  return {
    drain() {
      draining = true;
      for (const { answering } of connections.values()) for (const res of answering) if (!res.headersSent) res.shouldKeepAlive = false;
      return new Promise<void>((resolve) => {
        const idle = setInterval(closeLongIdle, Math.min(250, options.idleConnectionMs));
        const hard = setTimeout(() => {
          for (const socket of connections.keys()) socket.destroy();
        }, options.gracePeriodMs);
        const stopListening = () =>
          // net.Server's close, not http.Server's: that one also closes idle connections at once (Node 19+).
          net.Server.prototype.close.call(server, () => {
            clearInterval(idle);
            clearTimeout(hard);
            resolve();
          });
        whenQuiet(() => lastConnectionAt, options.quietMs, options.idleConnectionMs, stopListening);
      });
    },
  };
}

/**
 * Calls `then` once no connection has arrived for `quietMs`, or after `atMostMs` whatever comes.
 * Each check runs in setImmediate, after the event loop's poll phase has accepted whatever the
 * kernel had queued: a timer alone could fire while a busy loop had connections waiting unseen.
 */
function whenQuiet(lastConnectionAt: () => number, quietMs: number, atMostMs: number, then: () => void): void {
  const started = performance.now();
  const check = () => {
    const now = performance.now();
    // From the start at least: the balancer needs that long to see the 503s and stop sending.
    const quietFor = now - Math.max(lastConnectionAt(), started);
    if (quietFor >= quietMs || now - started >= atMostMs) then();
    else setTimeout(() => setImmediate(check), quietMs - quietFor);
  };
  if (quietMs <= 0) then();
  else setImmediate(check);
}
