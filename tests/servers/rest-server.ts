/**
 * A local in-house-style JSON API for the generic REST connector: `GET /api/companies?domain=`
 * or `?q=`, answers `{ data: { items: [...] } }`, `POST /api/companies`, `PATCH /api/companies/{id}`,
 * all behind an `X-Api-Key` header. Any API with this much shape can be described to the connector.
 */
import {
  startApiServer,
  type ApiReply,
  type ApiRequest,
  type LocalApiServer,
  type ServerOptions,
} from './http-server.ts';

export interface RestCompanyFixture {
  id: string;
  name: string;
  site: { url: string };
  labels: string[];
}

export interface RestServerOptions extends ServerOptions {
  apiKey: string;
  companies?: RestCompanyFixture[];
}

export interface RestServer extends LocalApiServer {
  readonly companies: RestCompanyFixture[];
}

export async function startRestServer(options: RestServerOptions): Promise<RestServer> {
  const companies = [...(options.companies ?? [])];
  let nextId = 1;

  const handle = (request: ApiRequest): ApiReply => {
    if (request.headers['x-api-key'] !== options.apiKey) return { status: 403, body: { message: 'Forbidden' } };
    const match = /^\/api\/companies(?:\/([\w-]+))?$/.exec(request.url.pathname);
    if (!match) return { status: 404, body: { message: 'No such route' } };
    const id = match[1];
    if (!id && request.method === 'GET') {
      const domain = request.url.searchParams.get('domain')?.toLowerCase();
      const q = request.url.searchParams.get('q')?.toLowerCase();
      const items = companies.filter(
        (company) =>
          (domain !== undefined && company.site.url.toLowerCase().includes(domain)) ||
          (q !== undefined && company.name.toLowerCase().includes(q)),
      );
      return { status: 200, body: { data: { items } } };
    }
    if (!id && request.method === 'POST') {
      const body = request.body as { name?: unknown; website?: unknown; tags?: unknown } | null;
      if (!body || typeof body.name !== 'string') return { status: 422, body: { message: 'name is required' } };
      const company: RestCompanyFixture = {
        id: `c${nextId++}`,
        name: body.name,
        site: { url: typeof body.website === 'string' ? body.website : '' },
        labels: Array.isArray(body.tags) ? body.tags.map(String) : [],
      };
      companies.push(company);
      return { status: 201, body: { company } };
    }
    const company = companies.find((candidate) => candidate.id === id);
    if (!company) return { status: 404, body: { message: 'No such company' } };
    if (request.method === 'PATCH') {
      const tags = (request.body as { labels?: unknown } | null)?.labels;
      if (!Array.isArray(tags)) return { status: 422, body: { message: 'labels must be a list' } };
      company.labels = tags.map(String);
      return { status: 200, body: company };
    }
    return { status: 405, body: { message: 'Method not allowed' } };
  };

  const server = await startApiServer(handle, options);
  return Object.assign(server, { companies });
}
