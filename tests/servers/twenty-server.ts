/**
 * A local server speaking Twenty's documented REST shapes (docs.twenty.com, REST API):
 * `GET/POST /rest/companies`, `GET/PATCH /rest/companies/{id}`, Bearer API keys, the `filter`
 * parameter (`field[ilike]:"%x%"`, alone or inside `or(…)`), `limit`, and answers wrapped as
 * `{ data: { companies } }`, `{ data: { createCompany } }`, `{ data: { company } }`,
 * `{ data: { updateCompany } }`. Companies carry `domainName` as a Links composite.
 */
import { randomUUID } from 'node:crypto';
import {
  bearer,
  ilike,
  startApiServer,
  type ApiReply,
  type ApiRequest,
  type LocalApiServer,
  type ServerOptions,
} from './http-server.ts';

export interface TwentyCompanyFixture {
  id: string;
  name: string;
  domainName: {
    primaryLinkUrl: string;
    primaryLinkLabel: string;
    secondaryLinks: { url: string; label: string }[] | null;
  };
  createdAt: string;
  updatedAt: string;
  [customField: string]: unknown;
}

export interface TwentyServerOptions extends ServerOptions {
  apiKey: string;
  companies?: TwentyCompanyFixture[];
  /** Custom fields companies have beyond the standard ones (e.g. `tags`). */
  customFields?: string[];
}

export interface TwentyServer extends LocalApiServer {
  readonly companies: TwentyCompanyFixture[];
}

export function twentyCompany(
  name: string,
  website: string,
  extra: Record<string, unknown> = {},
): TwentyCompanyFixture {
  return {
    id: randomUUID(),
    name,
    domainName: { primaryLinkUrl: website, primaryLinkLabel: '', secondaryLinks: null },
    createdAt: '2026-01-05T10:00:00.000Z',
    updatedAt: '2026-01-05T10:00:00.000Z',
    ...extra,
  };
}

export async function startTwentyServer(options: TwentyServerOptions): Promise<TwentyServer> {
  const companies = [...(options.companies ?? [])];
  const known = new Set(['name', 'domainName', ...(options.customFields ?? [])]);

  const handle = (request: ApiRequest): ApiReply => {
    if (bearer(request) !== options.apiKey) {
      return { status: 401, body: { statusCode: 401, messages: ['Token invalid.'], error: 'UNAUTHENTICATED' } };
    }
    const match = /^\/rest\/companies(?:\/([^/]+))?$/.exec(request.url.pathname);
    if (!match) return notFound(request);
    const id = match[1] ? decodeURIComponent(match[1]) : undefined;
    if (id === undefined && request.method === 'GET') return list(request);
    if (id === undefined && request.method === 'POST') return create(request);
    const company = companies.find((candidate) => candidate.id === id);
    if (!company)
      return { status: 404, body: { statusCode: 404, messages: [`Record ${id} not found`], error: 'NotFound' } };
    if (request.method === 'GET') return { status: 200, body: { data: { company } } };
    if (request.method === 'PATCH') {
      const fieldError = checkFields(request.body);
      if (fieldError) return fieldError;
      Object.assign(company, request.body, { updatedAt: new Date().toISOString() });
      return { status: 200, body: { data: { updateCompany: company } } };
    }
    return notFound(request);
  };

  function list(request: ApiRequest): ApiReply {
    const filter = request.url.searchParams.get('filter');
    let matching = companies;
    if (filter) {
      const conditions = parseFilter(filter);
      if (!conditions) return badRequest(`Invalid filter: ${filter}`);
      matching = companies.filter((company) =>
        conditions.some(({ field, pattern }) => ilike(String(readField(company, field) ?? ''), pattern)),
      );
    }
    const limit = Math.min(200, Number(request.url.searchParams.get('limit') ?? 60));
    const page = matching.slice(0, limit);
    return {
      status: 200,
      body: {
        data: { companies: page },
        pageInfo: { hasNextPage: matching.length > limit, startCursor: null, endCursor: null },
        totalCount: matching.length,
      },
    };
  }

  function create(request: ApiRequest): ApiReply {
    const body = request.body as Record<string, unknown> | null;
    if (!body || typeof body.name !== 'string') return badRequest('name is required');
    const fieldError = checkFields(body);
    if (fieldError) return fieldError;
    const links = body.domainName as { primaryLinkUrl?: string } | undefined;
    const company = twentyCompany(body.name, links?.primaryLinkUrl ?? '', body);
    company.domainName = { primaryLinkUrl: links?.primaryLinkUrl ?? '', primaryLinkLabel: '', secondaryLinks: null };
    company.createdAt = company.updatedAt = new Date().toISOString();
    companies.push(company);
    return { status: 201, body: { data: { createCompany: company } } };
  }

  function checkFields(body: unknown): ApiReply | null {
    const unknown = Object.keys((body as object | null) ?? {}).find((field) => !known.has(field));
    return unknown ? badRequest(`Object company doesn't have any "${unknown}" field.`) : null;
  }

  const server = await startApiServer(handle, options);
  return Object.assign(server, { companies });
}

function notFound(request: ApiRequest): ApiReply {
  return {
    status: 404,
    body: { statusCode: 404, message: `Cannot ${request.method} ${request.url.pathname}`, error: 'Not Found' },
  };
}

function badRequest(message: string): ApiReply {
  return { status: 400, body: { statusCode: 400, messages: [message], error: 'BadRequestException' } };
}

function readField(company: TwentyCompanyFixture, path: string): unknown {
  return path.split('.').reduce<unknown>((here, key) => (here as Record<string, unknown> | null)?.[key], company);
}

/** `name[ilike]:"%a%"` or `or(cond,cond,…)` → conditions; null for anything else. */
function parseFilter(filter: string): { field: string; pattern: string }[] | null {
  const inner = /^or\((.*)\)$/s.exec(filter)?.[1] ?? filter;
  const condition = /([\w.]+)\[ilike\]:"([^"]*)"/g;
  const conditions: { field: string; pattern: string }[] = [];
  let rest = inner;
  for (const match of inner.matchAll(condition)) {
    conditions.push({ field: match[1]!, pattern: match[2]! });
    rest = rest.replace(match[0], '');
  }
  return conditions.length > 0 && rest.replace(/,/g, '').trim() === '' ? conditions : null;
}
