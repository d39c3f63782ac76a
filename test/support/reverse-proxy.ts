import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface ReverseProxy {
  url: string;
  port: number;
  /** Requests each backend received (by port), and those the proxy could not place anywhere. */
  served: Map<number, number>;
  failed: number;
  /** What the failed ones met (method, path, instance, error code). */
  errors: string[];
  close(): Promise<void>;
}

/**
 * A small reverse proxy doing what the nginx of docs/deploy.md does: round robin over the
 * instances, `X-Forwarded-For` and `-Proto` set from the client's connection, a new upstream
 * connection per request, and the next instance tried when one refuses the connection (nginx's
 * `proxy_next_upstream error`, which never resends a request an instance has begun to receive),
 * and an instance whose /readyz is not 200 skipped (the balancer's health check).
 * It connects to the instances from 127.0.0.1, so a client on another loopback address
 * (127.0.0.2) is told apart from the proxy.
 */
export async function startReverseProxy(backends: number[], opts: { proto?: string } = {}): Promise<ReverseProxy> {
  const served = new Map<number, number>(backends.map((p) => [p, 0]));
  let next = 0;
  let failed = 0;
  const errors: string[] = [];
  // Active health checks, as a balancer in front of the service makes them: an instance whose
  // /readyz is not 200 (stopping, database gone) gets no new requests while another is ready.
  const ready = new Map<number, boolean>(backends.map((p) => [p, true]));
  const check = (port: number) =>
    new Promise<void>((done) => {
      const probe = request({ host: '127.0.0.1', port, path: '/readyz', agent: false, timeout: 1000 }, (answer) => {
        ready.set(port, answer.statusCode === 200);
        answer.resume();
        done();
      });
      probe.on('timeout', () => probe.destroy());
      probe.on('error', () => {
        ready.set(port, false);
        done();
      });
      probe.end();
    });
  const checks = setInterval(() => void Promise.all(backends.map(check)), 100);
  const pick = (from: number) => {
    for (let k = 0; k < backends.length; k++) {
      const port = backends[(from + k) % backends.length]!;
      if (ready.get(port)) return port;
    }
    return backends[from % backends.length]!;
  };
  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, first: number, tried: number) => {
    const port = pick(first + tried);
    const upstream = request(
      {
        host: '127.0.0.1',
        localAddress: '127.0.0.1',
        port,
        method: req.method,
        path: req.url,
        agent: false,
        headers: {
          ...req.headers,
          host: req.headers.host,
          connection: 'close',
          'x-forwarded-for': req.socket.remoteAddress,
          'x-forwarded-proto': opts.proto ?? 'https',
          'content-length': String(body.length),
        },
      },
      (answer) => {
        served.set(port, (served.get(port) ?? 0) + 1);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (err: NodeJS.ErrnoException) => {
      // refused: the instance is down or restarting and received nothing, so another may take it
      if (err.code === 'ECONNREFUSED' && tried + 1 < backends.length * 3)
        return void setTimeout(() => forward(req, res, body, first, tried + 1), 50 * tried);
      failed++;
      errors.push(`${req.method} ${req.url} → ${port}: ${err.code ?? err.message}`);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`bad gateway: ${err.code ?? err.message}`);
    });
    upstream.end(body);
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => forward(req, res, Buffer.concat(chunks), next++, 0));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    served,
    get failed() {
      return failed;
    },
    errors,
    close: () => {
      clearInterval(checks);
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * One HTTP request from a chosen loopback address (fetch cannot choose its source address): the
 * console user "at" 127.0.0.2, as the access records should name them.
 */
export function requestFrom(
  localAddress: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; text: string; headers: IncomingMessage['headers'] }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: `${u.pathname}${u.search}`,
        method: init.method ?? 'GET',
        localAddress,
        agent: false,
        headers: { ...init.headers, ...(init.body ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: res.headers }),
        );
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}
