/**
 * Webhook receivers on 127.0.0.1 for tests: each answers request n with `statuses[n]` (the last
 * status repeats; `'hang'` never answers) and records what it received.
 *
 *   const receivers = receiverPool();
 *   afterEach(receivers.closeAll);
 *   const hook = await receivers.start([500, 500, 200]);
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  received: Received[];
}

export const receiverPool = () => {
  const servers: Server[] = [];
  return {
    start: async (statuses: Array<number | 'hang'>): Promise<Receiver> => {
      const received: Received[] = [];
      const server = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk) => {
          body += chunk;
        });
        req.on('end', () => {
          received.push({ method: req.method, headers: req.headers, body });
          const status = statuses[Math.min(received.length - 1, statuses.length - 1)] ?? 200;
          if (status === 'hang') return;
          res.writeHead(status, { 'content-type': 'text/plain' }).end('receiver body, never stored');
        });
      });
      servers.push(server);
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
    },
    closeAll: async (): Promise<void> => {
      await Promise.all(
        servers.splice(0).map(
          (server) =>
            new Promise<void>((done) => {
              server.closeAllConnections();
              server.close(() => done());
            }),
        ),
      );
    },
  };
};
