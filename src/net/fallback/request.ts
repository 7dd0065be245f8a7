/**
 * The one way a fallback engine calls its endpoint: through the egress gate, JSON in and out,
 * failures turned into messages a person can act on. A key is sent only in a header, and is
 * scrubbed from every error message (servers sometimes echo what they were sent).
 */
import type { ChatCompletion, ChatUsage } from '../../core/engines/engine.ts';
import { egress, EgressRefusedError, type EgressGate } from '../egress.ts';

export class FallbackError extends Error {
  override name = 'FallbackError';
  constructor(
    message: string,
    /** HTTP status, or 0 when the request never got an answer. */
    readonly status: number,
    /** The endpoint's own error text, key removed: lets an engine step down (e.g. no json_schema). */
    readonly detail = '',
  ) {
    super(message);
  }
}

export interface PostJsonOptions {
  url: string;
  headers: Record<string, string>;
  body: unknown;
  signal?: AbortSignal | undefined;
  /** Removed from anything that could end up on screen or in a trace. */
  secret?: string | null | undefined;
  gate?: EgressGate | undefined;
}

export async function postJson(options: PostJsonOptions): Promise<unknown> {
  const { url, headers, body, signal, secret, gate = egress } = options;
  const host = new URL(url).host;
  let response: Response;
  try {
    response = await gate.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: signal ?? null,
      // No cookies or HTTP auth of the user's other sessions ride along with a model call.
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch (error) {
    if (error instanceof EgressRefusedError) throw new FallbackError(error.message, 0);
    if (isAbort(error)) throw error;
    throw new FallbackError(
      `Could not reach ${host}. Either the server is not running, the address is wrong, or it does not allow calls from this page (CORS: the server must allow the origin ${gate.appOrigin}).`,
      0,
    );
  }
  const text = scrub(await response.text().catch(() => ''), secret);
  if (!response.ok) throw new FallbackError(statusMessage(response.status, host, text), response.status, text);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new FallbackError(
      `${host} answered with something that is not JSON: “${text.slice(0, 120)}”.`,
      response.status,
    );
  }
}

function statusMessage(status: number, host: string, detail: string): string {
  const said = detail ? ` It said: “${detail.slice(0, 300)}”` : '';
  if (status === 401 || status === 403)
    return `${host} refused the key (${status}). Check the key in Settings → Fallback.${said}`;
  if (status === 404)
    return `${host} has no such endpoint or model (404). Check the base URL and the model name.${said}`;
  if (status === 429) return `${host} is rate-limiting or out of credit (429). Try again later.${said}`;
  if (status >= 500) return `${host} had a server error (${status}).${said}`;
  return `${host} rejected the request (${status}).${said}`;
}

export function scrub(text: string, secret: string | null | undefined): string {
  if (!secret || secret.length < 4) return text;
  return text.split(secret).join('[key removed]');
}

export function isAbort(error: unknown): boolean {
  return (error instanceof Error || error instanceof DOMException) && error.name === 'AbortError';
}

export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/** Roughly 4 characters per token: only when an endpoint reports no usage at all. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function abortedCompletion(model: string): ChatCompletion {
  return {
    id: 'aborted',
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: '' }, finish_reason: 'abort' }],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };
}

export function usageOf(prompt: number, completion: number, latencyS: number): ChatUsage {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    e2e_latency_s: latencyS,
  };
}
