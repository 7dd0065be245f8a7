/**
 * Runs the Cloudflare-Worker-style proxy script (`src/net/connectors/proxy/sift-proxy.js`) behind a
 * node:http server on 127.0.0.1, translating each request to a fetch `Request` the way the Workers
 * runtime does, so tests exercise the very script users deploy.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import worker from '../../src/net/connectors/proxy/sift-proxy.js';

export interface ProxyHost {
  /** `http://127.0.0.1:PORT/`: what the user would enter as the proxy URL. */
  url: string;
  close(): Promise<void>;
}

export async function startProxyHost(env: { ALLOWED_HOSTS: string; APP_ORIGIN: string }): Promise<ProxyHost> {
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (typeof value === 'string') headers.set(name, value);
      }
      const method = incoming.method ?? 'GET';
      const body = method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(chunks);
      const request = new Request(`http://${incoming.headers.host}${incoming.url}`, { method, headers, body });
      void worker.fetch(request, env).then(async (response) => {
        const answer: Record<string, string> = {};
        response.headers.forEach((value, name) => {
          // Node re-encodes the body; the upstream's framing headers no longer describe it.
          if (!['content-encoding', 'content-length', 'transfer-encoding'].includes(name)) answer[name] = value;
        });
        outgoing.writeHead(response.status, answer).end(Buffer.from(await response.arrayBuffer()));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
