import http from 'node:http';
import net from 'node:net';

/**
 * Stopping the HTTP server without failing a request that a load balancer sends during the stop.
 *
 * A balancer (nginx) keeps idle connections to each replica and reuses them. If the server closes
 * an idle one just as the balancer writes a request on it, the balancer sees the connection drop
 * after sending and, for a POST (every GraphQL request), cannot safely retry elsewhere: the client
 * gets a 502. So on shutdown the server (1) stops accepting connections, which the balancer
 * retries on another replica because nothing was sent; (2) answers whatever still arrives on open
 * connections with `Connection: close`, closing each after its answer; (3) leaves idle connections
 * for the balancer to close (nginx's upstream keepalive_timeout is shorter than
 * `idleConnectionMs`), closing only those still open after it; (4) destroys whatever is left
 * after `gracePeriodMs`. For the same reason it never closes idle connections first in normal
 * running: its keep-alive timeout is longer than the balancer's.
 */
export interface HttpDrainer {
  drain(): Promise<void>;
}

/** Longer than any balancer's idle timeout (nginx's default is 60 s; deploy/nginx.conf sets 4 s). */
const KEEP_ALIVE_MS = 65_000;

export function httpDrainer(server: http.Server, options: { idleConnectionMs: number; gracePeriodMs: number }): HttpDrainer {
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1000;
  let draining = false;
  /** Every open connection, with the answers it has in progress (none: idle). */
  const connections = new Map<net.Socket, Set<http.ServerResponse>>();
  server.on('connection', (socket: net.Socket) => {
    connections.set(socket, new Set());
    socket.once('close', () => connections.delete(socket));
  });
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const answering = connections.get(req.socket);
    answering?.add(res);
    res.once('close', () => answering?.delete(res));
    // Node reads this when it writes the headers: the connection closes after this answer.
    if (draining) res.shouldKeepAlive = false;
  });

  return {
    drain() {
      draining = true;
      for (const answering of connections.values()) for (const res of answering) if (!res.headersSent) res.shouldKeepAlive = false;
      return new Promise<void>((resolve) => {
        const idle = setTimeout(() => {
          for (const [socket, answering] of connections) if (answering.size === 0) socket.end();
        }, options.idleConnectionMs);
        const hard = setTimeout(() => {
          for (const socket of connections.keys()) socket.destroy();
        }, options.gracePeriodMs);
        // net.Server's close, not http.Server's: that one also closes idle connections at once (Node 19+).
        net.Server.prototype.close.call(server, () => {
          clearTimeout(idle);
          clearTimeout(hard);
          resolve();
        });
      });
    },
  };
}
