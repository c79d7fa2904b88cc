/**
 * A reverse proxy for tests, as nginx's default upstream balancing is: each request goes to the next
 * replica in turn, with the client's Host kept and its address in X-Forwarded-For. Every answer says
 * which replica gave it (`x-served-by`, the replica's index), so a test can show where each step ran.
 * A replica that cannot be reached is answered 502, as nginx would; `drop` takes it out of the turn.
 * It also lists every request it passed on, for the bench's count of what one booking costs.
 */
import { createServer, request as forward, type Server } from 'node:http';

export interface RoundRobinProxy {
  /** `http://127.0.0.1:<port>`: the one origin every client and every replica's PUBLIC_BASE_URL uses. */
  origin: string;
  /** The replicas' origins, in turn order; set once they are listening. */
  route(origins: string[]): void;
  /** No more requests to the replica at this index (it was killed). */
  drop(index: number): void;
  /** Every request received so far, in order: method, path with its query, and the browser's Sec-Fetch-Dest. */
  readonly received: ReceivedRequest[];
  close(): Promise<void>;
}

export const SERVED_BY = 'x-served-by';

export interface ReceivedRequest {
  method: string;
  url: string;
  /** `document`, `script`, `style`, `image`; `empty` for the page's own fetch(); none from non-browsers. */
  dest?: string;
}

export async function startRoundRobinProxy(): Promise<RoundRobinProxy> {
  let replicas: URL[] = [];
  const dropped = new Set<number>();
  let turn = 0;
  const received: ReceivedRequest[] = [];
  const nextReplica = (): number | undefined => {
    for (let tried = 0; tried < replicas.length; tried++) {
      const index = turn++ % replicas.length;
      if (!dropped.has(index)) return index;
    }
    return undefined;
  };
  const server: Server = createServer((incoming, outgoing) => {
    const dest = incoming.headers['sec-fetch-dest'];
    received.push({
      method: incoming.method ?? '',
      url: incoming.url ?? '',
      dest: typeof dest === 'string' ? dest : undefined,
    });
    const index = nextReplica();
    if (index === undefined) {
      outgoing.writeHead(502).end();
      return;
    }
    const upstream = forward(
      {
        host: replicas[index].hostname,
        port: replicas[index].port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, 'x-forwarded-for': incoming.socket.remoteAddress ?? '' },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, { ...answer.headers, [SERVED_BY]: String(index) });
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => {
      if (outgoing.headersSent) outgoing.destroy();
      else outgoing.writeHead(502, { [SERVED_BY]: String(index) }).end();
    });
    incoming.pipe(upstream);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('the proxy has no port');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    route(origins) {
      replicas = origins.map((origin) => new URL(origin));
    },
    drop(index) {
      dropped.add(index);
    },
    received,
    close: () =>
      new Promise((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}
