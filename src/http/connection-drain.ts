import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Connections closed only once they are really idle, for a graceful stop. Node's own
 * `server.close()` / `closeIdleConnections()` also drops a connection accepted a moment ago whose
 * request has not arrived yet: behind a proxy that has just sent a chat turn there, the turn is
 * lost (the proxy answers 502, and a POST is never resent to the other instance). Here such a new
 * connection gets a moment to bring its request; a kept-alive one between requests is closed at
 * once, and answers given while stopping say `Connection: close`.
 */
export function trackConnections(server: Server) {
  const connections = new Map<Socket, { running: number; served: number; acceptedAt: number }>();
  let stopping = false;
  server.on('connection', (socket: Socket) => {
    connections.set(socket, { running: 0, served: 0, acceptedAt: performance.now() });
    socket.once('close', () => connections.delete(socket));
  });
  server.on('request', (req, res) => {
    const state = connections.get(req.socket);
    if (stopping) res.setHeader('connection', 'close');
    if (!state) return;
    state.running++;
    res.once('close', () => {
      state.running--;
      state.served++;
    });
  });
  return {
    /** Stops listening; `close()` no longer drops connections itself (see closeQuiet). */
    stopListening(): Promise<void> {
      stopping = true;
      server.closeIdleConnections = () => {};
      return new Promise((resolve) => server.close(() => resolve()));
    },
    /**
     * Closes every connection with no request running: at once when it has served one already
     * (a keep-alive client resends elsewhere), after `newMs` when it was accepted without one yet.
     */
    closeIdle(newMs: number): void {
      const now = performance.now();
      for (const [socket, state] of connections) {
        if (state.running === 0 && (state.served > 0 || now - state.acceptedAt >= newMs)) socket.destroy();
      }
    },
  };
}
