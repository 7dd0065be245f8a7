/**
 * What the local stand-ins for third-party APIs share: a real HTTP server on 127.0.0.1 that
 * answers the browser's CORS preflight like those APIs do, and records every request it got
 * (headers and raw body) so tests can check exactly what left the browser.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface LocalServer {
  /** http://127.0.0.1:PORT */
  origin: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export type JsonHandler = (request: RecordedRequest) => { status: number; json: unknown };

const ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'x-api-key',
  'anthropic-version',
  'anthropic-dangerous-direct-browser-access',
].join(', ');

export async function startJsonServer(handle: JsonHandler, port = 0): Promise<LocalServer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    let body = '';
    incoming.setEncoding('utf8');
    incoming.on('data', (chunk: string) => (body += chunk));
    incoming.on('end', () => {
      response.setHeader('access-control-allow-origin', incoming.headers.origin ?? '*');
      response.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
      response.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      response.setHeader('vary', 'origin');
      if (incoming.method === 'OPTIONS') {
        response.writeHead(204).end();
        return;
      }
      const recorded: RecordedRequest = {
        method: incoming.method ?? 'GET',
        path: incoming.url ?? '/',
        headers: incoming.headers,
        body,
      };
      requests.push(recorded);
      let result: { status: number; json: unknown };
      try {
        result = handle(recorded);
      } catch (error) {
        result = { status: 500, json: { error: { message: String(error) } } };
      }
      response.writeHead(result.status, { 'content-type': 'application/json' }).end(JSON.stringify(result.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${bound}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The smallest value a JSON Schema accepts (enough for the subset Sift's steps use). */
export function exampleOf(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null) return null;
  const s = schema as Record<string, unknown>;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (Array.isArray(s[key])) return exampleOf(s[key][0]);
  }
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, unknown>;
      const required = Array.isArray(s.required) ? (s.required as string[]) : [];
      return Object.fromEntries(required.map((name) => [name, exampleOf(properties[name])]));
    }
    case 'array':
      return Array.from({ length: typeof s.minItems === 'number' ? s.minItems : 0 }, () => exampleOf(s.items));
    case 'string':
      return 'x'.repeat(typeof s.minLength === 'number' ? s.minLength : 0);
    case 'integer':
    case 'number':
      return typeof s.minimum === 'number' ? s.minimum : 0;
    case 'boolean':
      return true;
    default:
      return null;
  }
}

export function bearerOf(request: RecordedRequest): string | undefined {
  const header = request.headers.authorization;
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
}
