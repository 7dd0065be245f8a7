import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditResourceTiming, EgressGate, EgressRefusedError, type EgressRecord } from './egress.ts';

/** A real HTTP server on 127.0.0.1 stands in for every host; the gate decides by origin alone. */
let server: Server;
let base: string;
const received: { method: string; url: string; body: string }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ method: request.method ?? '', url: request.url ?? '', body });
      if (request.url === '/redirect') {
        response.writeHead(307, { location: '/elsewhere' }).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function gateWithLog(appOrigin = 'https://app.example') {
  const gate = new EgressGate(appOrigin);
  const records: EgressRecord[] = [];
  gate.onRecord((record) => records.push(record));
  return { gate, records };
}

describe('EgressGate', () => {
  it('refuses a host nobody switched on, logs it, and sends nothing', async () => {
    const { gate, records } = gateWithLog();
    const before = received.length;
    await expect(gate.fetch(`${base}/steal`, { method: 'POST', body: 'crm rows' })).rejects.toBeInstanceOf(
      EgressRefusedError,
    );
    expect(received.length).toBe(before);
    expect(records).toEqual([
      expect.objectContaining({ host: new URL(base).host, method: 'POST', allowed: false, outcome: 'refused' }),
    ]);
    expect(gate.log).toHaveLength(1);
  });

  it('lets an allowed host through, counts the bytes sent, and logs the host but never the path', async () => {
    const { gate, records } = gateWithLog();
    gate.allow(`${base}/v1`, 'fallback');
    const response = await gate.fetch(`${base}/v1/chat?key=should-not-be-logged`, { method: 'POST', body: 'héllo' });
    expect(await response.text()).toBe('ok');
    expect(received.at(-1)).toEqual({ method: 'POST', url: '/v1/chat?key=should-not-be-logged', body: 'héllo' });
    expect(records[0]).toMatchObject({ purpose: 'fallback', bytesSent: 6, allowed: true, outcome: 'sent' });
    expect(JSON.stringify(records)).not.toContain('should-not-be-logged');
  });

  it('allows the app origin without being told, and nothing else on the same host but another port', async () => {
    const { gate } = gateWithLog(base);
    await expect(gate.fetch('/anything')).resolves.toBeInstanceOf(Response);
    expect(gate.purposeOf(new URL(`${base}/x`))).toBe('app');
    expect(gate.purposeOf(new URL('http://127.0.0.1:1/x'))).toBeUndefined();
  });

  it('withdraws an allowance only when the last thing that switched the host on lets go', () => {
    const { gate } = gateWithLog();
    const host = 'https://crm.example';
    const connector = gate.allow(host, 'connector');
    const fallback = gate.allow(`${host}/v1`, 'fallback');
    expect(gate.purposeOf(new URL(host))).toBe('fallback');
    fallback();
    fallback(); // a second call must not withdraw someone else's allowance
    expect(gate.purposeOf(new URL(host))).toBe('connector');
    connector();
    expect(gate.purposeOf(new URL(host))).toBeUndefined();
    expect(gate.policy()).toEqual([]);
  });

  it('tells listeners the new policy on every change, and a follower gate adopts it', async () => {
    const page = new EgressGate('https://app.example');
    const worker = new EgressGate('https://app.example', undefined, 'sift-llm');
    page.onPolicyChange((policy) => worker.setPolicy(policy));
    const stop = page.allow('https://huggingface.co/mlc-ai/x/resolve/main/', 'model');
    expect(worker.purposeOf(new URL('https://huggingface.co/a'))).toBe('model');
    stop();
    expect(worker.purposeOf(new URL('https://huggingface.co/a'))).toBeUndefined();
    await expect(worker.fetch('https://huggingface.co/a')).rejects.toThrow(/huggingface\.co.*not switched on/);
  });

  it('keeps a worker gate’s own allowances (the model hosts it was sent) when the page’s policy changes', () => {
    const worker = new EgressGate('https://app.example', undefined, 'sift-llm');
    worker.allow('https://models.example/mlc-ai/', 'model');
    worker.setPolicy([{ origin: 'https://api.groq.com', purposes: ['fallback'] }]);
    worker.setPolicy([]);
    expect(worker.purposeOf(new URL('https://models.example/x'))).toBe('model');
    expect(worker.purposeOf(new URL('https://api.groq.com/x'))).toBeUndefined();
  });

  it('does not let a fallback endpoint redirect the prompt to another place', async () => {
    const { gate } = gateWithLog();
    gate.allow(base, 'fallback');
    await expect(gate.fetch(`${base}/redirect`, { method: 'POST', body: '{}' })).rejects.toThrow();
    expect(received.some((r) => r.url === '/elsewhere')).toBe(false);
  });

  it('measures a Request body it was handed, without consuming it', async () => {
    const { gate, records } = gateWithLog();
    gate.allow(base, 'connector');
    const response = await gate.fetch(new Request(`${base}/r`, { method: 'PUT', body: new Uint8Array(10) }));
    expect(response.ok).toBe(true);
    expect(records[0]).toMatchObject({ method: 'PUT', bytesSent: 10 });
    expect(received.at(-1)?.body).toHaveLength(10);
  });

  it('rejects a non-web address being switched on with a clear message', () => {
    const { gate } = gateWithLog();
    expect(() => gate.allow('javascript:alert(1)', 'connector')).toThrow(/only https:\/\/ and http:\/\//);
    expect(() => gate.allow('api.openai.com', 'fallback')).toThrow(/not a full URL/);
  });
});

describe('auditResourceTiming (Node’s fetch reports resource timing as browsers do)', () => {
  const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

  it('logs a request that went around the gate as unaccounted, and not one the gate passed', async () => {
    const { gate, records } = gateWithLog();
    const stop = auditResourceTiming(gate);
    try {
      gate.allow(base, 'connector');
      await (await gate.fetch(`${base}/through-the-gate`)).text();
      await settle();
      expect(records.map((record) => record.outcome)).toEqual(['sent']);

      const other = new EgressGate('https://app.example');
      const otherRecords: EgressRecord[] = [];
      other.onRecord((record) => otherRecords.push(record));
      const stopOther = auditResourceTiming(other);
      // A host of its own, so entries buffered from the tests above cannot be mistaken for this one.
      const elsewhere = createServer((_request, response) => response.end('ok'));
      await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
      const host = `127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
      await (await fetch(`http://${host}/around-the-gate`)).text();
      await settle();
      stopOther();
      await new Promise<void>((resolve) => elsewhere.close(() => resolve()));
      expect(otherRecords.filter((record) => record.host === host)).toEqual([
        expect.objectContaining({ host, outcome: 'unaccounted', method: 'FETCH', allowed: true }),
      ]);
    } finally {
      stop();
    }
  });
});
