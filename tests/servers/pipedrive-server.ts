/**
 * A local server speaking Pipedrive's documented API v2 shapes (developers.pipedrive.com):
 * `GET/POST /api/v2/organizations`, `GET/PATCH /api/v2/organizations/{id}`,
 * `GET /api/v2/organizations/search?term=&fields=name|custom_fields`, the `api_token` query
 * parameter, `{ success, data }` answers, search items as `{ result_score, item }` with matched
 * custom field values as a list, and terms shorter than 2 characters refused with 400.
 */
import {
  startApiServer,
  type ApiReply,
  type ApiRequest,
  type LocalApiServer,
  type ServerOptions,
} from './http-server.ts';

export interface PipedriveOrganizationFixture {
  id: number;
  name: string;
  custom_fields: Record<string, string | null>;
  add_time: string;
  update_time: string;
}

export interface PipedriveServerOptions extends ServerOptions {
  apiToken: string;
  organizations?: PipedriveOrganizationFixture[];
  customFieldKeys?: string[];
}

export interface PipedriveServer extends LocalApiServer {
  readonly organizations: PipedriveOrganizationFixture[];
}

export function pipedriveOrganization(
  id: number,
  name: string,
  customFields: Record<string, string | null> = {},
): PipedriveOrganizationFixture {
  return {
    id,
    name,
    custom_fields: customFields,
    add_time: '2026-02-01T09:00:00Z',
    update_time: '2026-02-01T09:00:00Z',
  };
}

export async function startPipedriveServer(options: PipedriveServerOptions): Promise<PipedriveServer> {
  const organizations = [...(options.organizations ?? [])];
  const keys = new Set(options.customFieldKeys ?? []);
  let nextId = 1000;

  const handle = (request: ApiRequest): ApiReply => {
    if (request.url.searchParams.get('api_token') !== options.apiToken) {
      return {
        status: 401,
        body: {
          success: false,
          error: 'unauthorized access',
          errorCode: 401,
          error_info: 'Please check developers.pipedrive.com',
        },
      };
    }
    const path = request.url.pathname;
    if (path === '/api/v2/organizations/search' && request.method === 'GET') return search(request);
    if (path === '/api/v2/organizations' && request.method === 'GET') {
      const limit = Number(request.url.searchParams.get('limit') ?? 100);
      return ok(organizations.slice(0, limit));
    }
    if (path === '/api/v2/organizations' && request.method === 'POST') return create(request);
    const match = /^\/api\/v2\/organizations\/(\d+)$/.exec(path);
    const organization = match ? organizations.find((candidate) => candidate.id === Number(match[1])) : undefined;
    if (match && !organization) return failure(404, 'Organization not found');
    if (organization && request.method === 'GET') return ok(organization);
    if (organization && request.method === 'PATCH') {
      const body = request.body as { name?: string; custom_fields?: Record<string, string> } | null;
      const fieldError = checkCustomFields(body?.custom_fields);
      if (fieldError) return fieldError;
      if (body?.name) organization.name = body.name;
      Object.assign(organization.custom_fields, body?.custom_fields);
      organization.update_time = new Date().toISOString();
      return ok(organization);
    }
    return failure(404, 'Unknown method .');
  };

  function search(request: ApiRequest): ApiReply {
    const term = (request.url.searchParams.get('term') ?? '').toLowerCase();
    if (term.length < 2) return failure(400, 'term must be at least 2 characters long');
    const fields = (request.url.searchParams.get('fields') ?? 'name').split(',');
    const items = organizations.flatMap((organization) => {
      const nameHit = fields.includes('name') && organization.name.toLowerCase().includes(term);
      const customHits = fields.includes('custom_fields')
        ? Object.values(organization.custom_fields).filter(
            (value): value is string => typeof value === 'string' && value.toLowerCase().includes(term),
          )
        : [];
      if (!nameHit && customHits.length === 0) return [];
      return [
        {
          result_score: nameHit && organization.name.toLowerCase() === term ? 1 : 0.5,
          item: {
            id: organization.id,
            type: 'organization',
            name: organization.name,
            address: null,
            visible_to: 3,
            owner: { id: 1 },
            custom_fields: customHits,
            notes: [],
          },
        },
      ];
    });
    return { status: 200, body: { success: true, data: { items }, additional_data: { next_cursor: null } } };
  }

  function create(request: ApiRequest): ApiReply {
    const body = request.body as { name?: unknown; custom_fields?: Record<string, string> } | null;
    if (!body || typeof body.name !== 'string' || body.name.trim() === '') return failure(400, 'Name must be given.');
    const fieldError = checkCustomFields(body.custom_fields);
    if (fieldError) return fieldError;
    const now = new Date().toISOString();
    const organization: PipedriveOrganizationFixture = {
      id: nextId++,
      name: body.name,
      custom_fields: { ...body.custom_fields },
      add_time: now,
      update_time: now,
    };
    organizations.push(organization);
    return ok(organization);
  }

  function checkCustomFields(fields: Record<string, string> | undefined): ApiReply | null {
    const unknown = Object.keys(fields ?? {}).find((key) => !keys.has(key));
    return unknown ? failure(400, `Custom field with key '${unknown}' does not exist`) : null;
  }

  const server = await startApiServer(handle, options);
  return Object.assign(server, { organizations });
}

function ok(data: unknown): ApiReply {
  return { status: 200, body: { success: true, data } };
}

function failure(status: number, error: string): ApiReply {
  return { status, body: { success: false, error, errorCode: status } };
}
