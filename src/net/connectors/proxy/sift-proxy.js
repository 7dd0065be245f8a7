/**
 * Sift CRM proxy: a Cloudflare Worker you deploy to your own account so Sift, running in your
 * browser, can reach a CRM that refuses calls from web pages (HubSpot, Notion, Attio, Affinity).
 *
 * Sift sends `https://<this worker>/?url=<the CRM request URL, percent-encoded>` with your token in
 * the usual header. This worker:
 *   - forwards only to the hosts in ALLOWED_HOSTS (so it is not an open proxy),
 *   - answers only pages from APP_ORIGIN, and sets Access-Control-Allow-Origin to it (never `*`),
 *   - answers CORS preflights (OPTIONS) itself,
 *   - never logs or stores anything: no console calls, no KV, no analytics on headers.
 *
 * Settings (Workers → your worker → Settings → Variables), or edit the defaults below:
 *   ALLOWED_HOSTS  comma-separated CRM API hosts, e.g. `api.hubapi.com`
 *   APP_ORIGIN     where you open Sift, e.g. `https://tools.example.com` (scheme + host, no path)
 */
const DEFAULT_ALLOWED_HOSTS = 'api.hubapi.com';
const DEFAULT_APP_ORIGIN = 'https://sift.example.com';

/** Request headers that describe the browser or the worker, not the API call: never forwarded. */
const DROPPED = ['origin', 'referer', 'cookie', 'host', 'connection'];

export default {
  /**
   * @param {Request} request
   * @param {{ ALLOWED_HOSTS?: string, APP_ORIGIN?: string }} [env]
   */
  async fetch(request, env = {}) {
    const allowedHosts = (env.ALLOWED_HOSTS || DEFAULT_ALLOWED_HOSTS)
      .split(',')
      .map((host) => host.trim().toLowerCase())
      .filter(Boolean);
    const appOrigin = env.APP_ORIGIN || DEFAULT_APP_ORIGIN;
    const cors = {
      'Access-Control-Allow-Origin': appOrigin,
      'Access-Control-Expose-Headers': 'Retry-After',
      Vary: 'Origin',
    };
    const refuse = (status, message) =>
      new Response(JSON.stringify({ error: message }), {
        status,
        headers: { ...cors, 'Content-Type': 'application/json' },
      });

    if (request.headers.get('Origin') !== appOrigin) return refuse(403, 'This proxy only serves its own Sift page.');

    let target;
    try {
      target = new URL(new URL(request.url).searchParams.get('url') || '');
    } catch {
      return refuse(400, 'Add the CRM request as ?url=<percent-encoded URL>.');
    }
    const local = target.hostname === '127.0.0.1' || target.hostname === 'localhost';
    if (!allowedHosts.includes(target.host.toLowerCase()) || (target.protocol !== 'https:' && !local)) {
      return refuse(403, `This proxy does not forward to ${target.host}.`);
    }

    if (request.method === 'OPTIONS') {
      return new Response(null, {
        status: 204,
        headers: {
          ...cors,
          'Access-Control-Allow-Methods': 'GET, POST, PATCH, PUT, DELETE',
          'Access-Control-Allow-Headers': request.headers.get('Access-Control-Request-Headers') || '',
          'Access-Control-Max-Age': '600',
        },
      });
    }

    const headers = new Headers(request.headers);
    for (const name of DROPPED) headers.delete(name);
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    // The proxy's reason to exist is to make this call on the page's behalf, outside Sift's egress gate.
    // eslint-disable-next-line no-restricted-globals
    const upstream = await fetch(target, {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : undefined,
      redirect: 'manual',
    });
    const answer = new Headers(upstream.headers);
    for (const [name, value] of Object.entries(cors)) answer.set(name, value);
    answer.delete('set-cookie');
    return new Response(upstream.body, { status: upstream.status, headers: answer });
  },
};
