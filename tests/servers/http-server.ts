/**
 * The plumbing shared by the local stand-ins for third-party CRM APIs: a node:http server on
 * 127.0.0.1 at a random free port, JSON in and out, CORS the way a browser-friendly API does it
 * (or not at all, for the "blocked by CORS" case), and a switch that makes it answer 429.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ApiRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  /** Parsed JSON body; null when there is none. */
  body: unknown;
}

export interface ApiReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ServerOptions {
  /** false: send no CORS headers at all, like HubSpot or Notion. */
  cors?: boolean;
}

export interface LocalApiServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** Every request seen, preflights included (`OPTIONS`). */
  readonly requests: ApiRequest[];
  /** Answer the next `count` requests with 429 and `Retry-After: seconds` (null: no such header). */
  rateLimitNext(count: number, retryAfterSeconds: number | null, body?: unknown): void;
  close(): Promise<void>;
}

export async function startApiServer(
  handle: (request: ApiRequest) => ApiReply,
  options: ServerOptions = {},
): Promise<LocalApiServer> {
  const cors = options.cors ?? true;
  const requests: ApiRequest[] = [];
  let limited = { count: 0, seconds: null as number | null, body: undefined as unknown };

  const server = createServer((incoming, outgoing) => {
    void readBody(incoming).then((raw) => {
      const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
      let body: unknown = null;
      if (raw !== '') {
        try {
          body = JSON.parse(raw);
        } catch {
          return send(outgoing, incoming, cors, { status: 400, body: { error: 'Body is not JSON' } });
        }
      }
      const request: ApiRequest = { method: incoming.method ?? 'GET', url, headers: incoming.headers, body };
      requests.push(request);
      if (request.method === 'OPTIONS') return preflight(outgoing, incoming, cors);
      if (limited.count > 0) {
        limited.count -= 1;
        return send(outgoing, incoming, cors, {
          status: 429,
          body: limited.body ?? { error: 'Too many requests' },
          headers: limited.seconds === null ? {} : { 'Retry-After': String(limited.seconds) },
        });
      }
      send(outgoing, incoming, cors, handle(request));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    rateLimitNext(count, seconds, body) {
      limited = { count, seconds, body };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function readBody(incoming: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    incoming.on('error', reject);
  });
}

function corsHeaders(incoming: IncomingMessage): Record<string, string> {
  return {
    'Access-Control-Allow-Origin': incoming.headers.origin ?? '*',
    Vary: 'Origin',
    // Without this a page cannot read Retry-After on a 429.
    'Access-Control-Expose-Headers': 'Retry-After',
  };
}

function preflight(outgoing: ServerResponse, incoming: IncomingMessage, cors: boolean): void {
  const headers: Record<string, string> = cors
    ? {
        ...corsHeaders(incoming),
        'Access-Control-Allow-Methods': 'GET, POST, PATCH, PUT, DELETE',
        'Access-Control-Allow-Headers': incoming.headers['access-control-request-headers'] ?? '',
        'Access-Control-Max-Age': '600',
      }
    : {};
  outgoing.writeHead(204, headers).end();
}

function send(outgoing: ServerResponse, incoming: IncomingMessage, cors: boolean, reply: ApiReply): void {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=utf-8',
    ...(cors ? corsHeaders(incoming) : {}),
    ...reply.headers,
  };
  outgoing.writeHead(reply.status, headers).end(reply.body === undefined ? '' : JSON.stringify(reply.body));
}

/** The token from `Authorization: Bearer …`, or null. */
export function bearer(request: ApiRequest): string | null {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer (.+)$/.exec(header) : null;
  return match ? match[1]! : null;
}

/** SQL-style `ilike`: case-insensitive, `%` any run of characters, `_` any one character. */
export function ilike(value: string, pattern: string): boolean {
  let compiled = ilikeCache.get(pattern);
  if (!compiled) {
    compiled = ilikePattern(pattern);
    ilikeCache.set(pattern, compiled);
  }
  return compiled.test(value);
}

const ilikeCache = new Map<string, RegExp>();

function ilikePattern(pattern: string): RegExp {
  const source = pattern
    .split('')
    .map((char) => (char === '%' ? '.*' : char === '_' ? '.' : char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'is');
}
