/**
 * What every remote connector shares: sending a request through the egress gate (and the user's
 * proxy, when set), pacing requests to the CRM's published rate limit, and turning each way a
 * request can fail into one diagnosis with a message and a next step.
 *
 * Secrets never appear in an error, a message or a log line from here: errors name the host and
 * the HTTP status, never the URL (Pipedrive's token rides in the query string).
 */
import { EgressRefusedError, type EgressGate } from '../egress.ts';
import { messageOf } from '../../core/text/error-message.ts';

export type ConnectorProblem =
  | 'blocked'
  | 'timeout'
  | 'refused'
  | 'bad-credentials'
  | 'not-found'
  | 'rate-limited'
  | 'rejected'
  | 'server-error'
  | 'bad-response'
  | 'not-configured';

export type ConnectionStatus = 'ok' | ConnectorProblem;

/** The result of "Test connection", shown to the user as title, message and next step. */
export interface ConnectionCheck {
  status: ConnectionStatus;
  title: string;
  message: string;
  nextStep: string;
  /** For `rate-limited`: how long to wait, from Retry-After or the CRM's documented back-off. */
  retryAfterSeconds?: number;
}

const TITLES: Record<ConnectionStatus, string> = {
  ok: 'OK',
  blocked: 'Blocked by CORS or network',
  timeout: 'No answer',
  refused: 'Held by Sift',
  'bad-credentials': 'Bad credentials',
  'not-found': 'Not found',
  'rate-limited': 'Rate-limited',
  rejected: 'Request rejected',
  'server-error': 'CRM server error',
  'bad-response': 'Unexpected answer',
  'not-configured': 'Not set up',
};

export class ConnectorError extends Error {
  override name = 'ConnectorError';
  constructor(
    readonly problem: ConnectorProblem,
    message: string,
    readonly nextStep: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  toCheck(): ConnectionCheck {
    const check: ConnectionCheck = {
      status: this.problem,
      title: TITLES[this.problem],
      message: this.message,
      nextStep: this.nextStep,
    };
    if (this.retryAfterSeconds !== undefined) check.retryAfterSeconds = this.retryAfterSeconds;
    return check;
  }
}

export function okCheck(message: string): ConnectionCheck {
  return {
    status: 'ok',
    title: TITLES.ok,
    message,
    nextStep: 'Switch the connector on to check newsletters against it.',
  };
}

/** Any failure as a check: a connector's own diagnosis, or an unknown error said plainly. */
export function checkFromError(error: unknown): ConnectionCheck {
  if (error instanceof ConnectorError) return error.toCheck();
  const message = messageOf(error);
  return { status: 'bad-response', title: TITLES['bad-response'], message, nextStep: 'Check the settings above.' };
}

/** What a connector tells the diagnosis about itself, so messages name the right fields. */
export interface CrmHints {
  /** `Airtable`, `Twenty`... */
  crm: string;
  /** Next step after a 401/403. */
  credentials: string;
  /** Next step after a 404. */
  notFound: string;
  /** Next step when an answer lacks what the CRM documents (the address points elsewhere). */
  badAnswer: string;
  /** Seconds to wait after a 429 when the CRM sends no readable Retry-After. */
  defaultBackoffSeconds: number;
}

export interface Transport {
  /** The egress gate (tests pass their own, with the local server's origin allowed). */
  gate: Pick<EgressGate, 'fetch'>;
  /** The user's proxy, e.g. `https://sift-proxy.example.workers.dev/`; null to call the CRM directly. */
  proxyUrl: string | null;
  /** Per request; a CRM that does not answer within it is reported as `timeout`. */
  timeoutMs?: number;
}

/**
 * The documented proxy form: the target goes, encoded, in the `url` query parameter of the
 * proxy URL (`https://proxy.example/?url=https%3A%2F%2Fapi.hubapi.com%2F...`). Any other query
 * parameters the user put in the proxy URL are kept.
 */
export function viaProxy(proxyUrl: string | null, target: URL): URL {
  if (!proxyUrl) return target;
  const proxied = new URL(proxyUrl);
  proxied.searchParams.set('url', target.href);
  return proxied;
}

/** The origin requests actually go to: the one the egress gate must allow. */
export function requestOrigin(proxyUrl: string | null, target: string): string {
  return new URL(proxyUrl || target).origin;
}

export function isHttpUrl(text: string): boolean {
  try {
    return ['https:', 'http:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

/** A URL the user can see: scheme, host and path, never the query (it may hold a token). */
export function displayUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Wait out one 429 (up to 30 s) before giving up; off for "Test connection", which reports it. */
  retryOnRateLimit?: boolean;
}

const MAX_AUTOMATIC_WAIT_S = 30;

/** Sends one request and returns the parsed JSON body, or throws a `ConnectorError`. */
export async function sendJson(
  transport: Transport,
  hints: CrmHints,
  target: URL,
  options: SendOptions = {},
): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await sendOnce(transport, hints, target, options);
    } catch (error) {
      const wait = error instanceof ConnectorError && error.problem === 'rate-limited' ? error.retryAfterSeconds : 0;
      if (!options.retryOnRateLimit || attempt > 0 || wait === undefined || wait > MAX_AUTOMATIC_WAIT_S) throw error;
      await sleep(wait * 1000);
    }
  }
}

async function sendOnce(transport: Transport, hints: CrmHints, target: URL, options: SendOptions): Promise<unknown> {
  const url = viaProxy(transport.proxyUrl, target);
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  const init: RequestInit = { method: options.method ?? 'GET', headers };
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  init.signal = AbortSignal.timeout(transport.timeoutMs ?? 20_000);
  const where = url.host;

  let response: Response;
  try {
    response = await transport.gate.fetch(url, init);
  } catch (error) {
    throw diagnoseNoResponse(error, where, hints, transport.proxyUrl !== null);
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) throw diagnoseStatus(response, text, where, hints, transport.proxyUrl !== null);
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ConnectorError(
      'bad-response',
      `${where} answered HTTP ${response.status}, but not with JSON (it starts "${text.slice(0, 60)}").`,
      `Check the address: it should be ${hints.crm}'s API, not its web app${transport.proxyUrl ? ' (or the proxy forwards somewhere else)' : ''}.`,
    );
  }
}

/** fetch rejected without a response: the browser hides whether CORS or the network was the cause. */
function diagnoseNoResponse(error: unknown, where: string, hints: CrmHints, viaProxy: boolean): ConnectorError {
  if (error instanceof EgressRefusedError) {
    return new ConnectorError(
      'refused',
      `Sift did not send the request: ${where} is not switched on.`,
      'Switch the connector on (Settings → CRM connectors) to allow its host.',
    );
  }
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new ConnectorError(
      'timeout',
      `${where} did not answer in time.`,
      'Check the address and your network, then test again.',
    );
  }
  const nextStep = viaProxy
    ? 'Check that the proxy is deployed at that address, forwards to this CRM and allows this page’s origin.'
    : `Check the address. If it is right, ${hints.crm} does not let a browser page call it: add a proxy URL (see the proxy guide) or import a CSV export instead.`;
  return new ConnectorError(
    'blocked',
    `The browser got no answer it may read from ${where}: the server is unreachable, or it does not allow calls from this page (CORS).`,
    nextStep,
  );
}

function diagnoseStatus(
  response: Response,
  body: string,
  where: string,
  hints: CrmHints,
  viaProxy: boolean,
): ConnectorError {
  const status = response.status;
  const detail = errorDetail(body);
  const said = detail ? ` It said: “${detail}”.` : '';
  if (status === 401 || status === 403) {
    return new ConnectorError(
      'bad-credentials',
      `${hints.crm} refused the credentials (HTTP ${status}).${said}`,
      viaProxy && status === 403
        ? `${hints.credentials} If the proxy refused (its message says so), add this CRM’s host to its ALLOWED_HOSTS and this page’s origin as its APP_ORIGIN.`
        : hints.credentials,
    );
  }
  if (status === 404) {
    return new ConnectorError('not-found', `${where} has nothing at that address (HTTP 404).${said}`, hints.notFound);
  }
  if (status === 429) {
    const readable = parseRetryAfter(response.headers.get('Retry-After'));
    const seconds = readable ?? hints.defaultBackoffSeconds;
    return new ConnectorError(
      'rate-limited',
      `${hints.crm} is rate-limiting Sift (HTTP 429): too many requests in a short time.`,
      `Wait ${seconds} s${readable === undefined ? ` (${hints.crm}'s documented back-off)` : ''}, then try again.`,
      seconds,
    );
  }
  if (status >= 500) {
    return new ConnectorError(
      'server-error',
      `${where} failed on its side (HTTP ${status}).${said}`,
      'Try again in a minute; if it persists, check the CRM’s status page.',
    );
  }
  return new ConnectorError(
    'rejected',
    `${hints.crm} rejected the request (HTTP ${status}).${said}`,
    'Check the field names and settings above: they must match the CRM exactly.',
  );
}

/** Retry-After is seconds or an HTTP date. Cross-origin, it is readable only if the CRM exposes it. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** The human part of a CRM's JSON error body, in the common shapes; never the whole body. */
function errorDetail(body: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  const candidates = [
    pick(parsed, 'error', 'message'),
    pick(parsed, 'messages', 0),
    pick(parsed, 'message'),
    pick(parsed, 'errors', 0, 'message'),
    pick(parsed, 'error'),
    pick(parsed, 'error', 'type'),
  ];
  const found = candidates.find((value): value is string => typeof value === 'string' && value !== '');
  return found ? found.slice(0, 200) : null;
}

function pick(value: unknown, ...path: (string | number)[]): unknown {
  let here = value;
  for (const key of path) {
    if (here === null || typeof here !== 'object') return undefined;
    here = (here as Record<string | number, unknown>)[key];
  }
  return here;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Keeps requests under a CRM's published limit ("5 requests per second per base"): at most `limit`
 * requests per `windowMs` per key. It counts a request from when its answer came back (or as
 * current while it is in flight), not from when it was sent: the CRM counts arrivals, which network
 * latency shifts and bunches, and an arrival always precedes its answer. So however the network
 * jitters, the CRM never sees more than `limit` requests in any window.
 */
export class RequestPacer {
  #recent = new Map<string, { until: number }[]>();
  constructor(
    readonly limit: number,
    readonly windowMs: number,
    readonly now: () => number = () => performance.now(),
    readonly wait: (ms: number) => Promise<void> = sleep,
  ) {}

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const slots = this.#recent.get(key) ?? [];
    this.#recent.set(key, slots);
    for (;;) {
      const now = this.now();
      const live = slots.filter((slot) => slot.until > now - this.windowMs);
      slots.splice(0, slots.length, ...live);
      if (live.length < this.limit) break;
      const oldest = Math.min(...live.map((slot) => slot.until));
      await this.wait(Number.isFinite(oldest) ? oldest + this.windowMs - now : this.windowMs / this.limit);
    }
    const slot = { until: Number.POSITIVE_INFINITY };
    slots.push(slot);
    try {
      return await work();
    } finally {
      slot.until = this.now();
    }
  }
}
