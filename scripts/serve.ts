/**
 * A plain static file server, no rewrites: what any CDN or static host does. Serves DIR at
 * http://localhost:PORT/ (use `--prefix /tools/sift/` to copy nothing and still prove sub-path
 * hosting: the files are then served only under that prefix, exactly as uploaded there).
 *
 *   tsx scripts/serve.ts dist [--port 4173] [--prefix /tools/sift/]
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import sirv from 'sirv';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { port: { type: 'string', default: process.env.PORT ?? '4173' }, prefix: { type: 'string', default: '/' } },
});
const root = positionals[0] ?? 'dist';
const prefix = values.prefix.endsWith('/') ? values.prefix : `${values.prefix}/`;
const files = sirv(root, { dev: false, etag: true, single: false, dotfiles: false });

const server = createServer((request, response) => {
  const url = request.url ?? '/';
  if (!url.startsWith(prefix)) {
    if (url === '/' && prefix !== '/') {
      response.writeHead(302, { location: prefix }).end();
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    return;
  }
  // Mounting under a prefix is where the folder was uploaded, not a rewrite: nothing else maps.
  request.url = url.slice(prefix.length - 1);
  files(request, response, () => {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  });
});

server.listen(Number(values.port), 'localhost', () => {
  console.log(`Sift is served at http://localhost:${values.port}${prefix}`);
});
