/**
 * A local server speaking Airtable's documented REST shapes (airtable.com/developers/web/api):
 * `GET/POST /v0/{baseId}/{table}`, `GET/PATCH /v0/{baseId}/{table}/{recordId}`, Bearer personal
 * access tokens, `filterByFormula` (the subset Sift sends: `FIND("text",LOWER({Field}))` and
 * `LOWER(TRIM({Field}))="text"`, alone or inside `OR(…)`), `fields[]`, `maxRecords`, `pageSize`/`offset`, `typecast`, Airtable's error
 * bodies, and its limit of 5 requests per second per base (429 `RATE_LIMIT_REACHED`).
 */
import {
  bearer,
  startApiServer,
  type ApiReply,
  type ApiRequest,
  type LocalApiServer,
  type ServerOptions,
} from './http-server.ts';

export interface AirtableRecordFixture {
  id: string;
  createdTime: string;
  fields: Record<string, unknown>;
}

export interface AirtableServerOptions extends ServerOptions {
  token: string;
  baseId: string;
  table: string;
  /** Field names the table has; requests naming others get 422 UNKNOWN_FIELD_NAME. */
  fieldNames: string[];
  records?: AirtableRecordFixture[];
  /** Enforce 5 requests per second per base, as Airtable does. */
  enforceRateLimit?: boolean;
}

export interface AirtableServer extends LocalApiServer {
  readonly records: AirtableRecordFixture[];
}

export async function startAirtableServer(options: AirtableServerOptions): Promise<AirtableServer> {
  const records = [...(options.records ?? [])];
  const recent: number[] = [];
  let nextId = 1;

  const handle = (request: ApiRequest): ApiReply => {
    const token = bearer(request);
    if (token === null) return error(401, 'AUTHENTICATION_REQUIRED', 'Authentication required');
    if (token !== options.token) return error(401, 'AUTHENTICATION_REQUIRED', 'Invalid authentication token');
    const parts = request.url.pathname.split('/').slice(1).map(decodeURIComponent);
    if (parts[0] !== 'v0' || parts.length < 3) return { status: 404, body: { error: 'NOT_FOUND' } };
    const [, baseId, table, recordId] = parts;
    if (baseId !== options.baseId) return { status: 404, body: { error: 'NOT_FOUND' } };
    if (table !== options.table) {
      return error(404, 'TABLE_NOT_FOUND', `Could not find table ${table} in application ${baseId}`);
    }
    if (options.enforceRateLimit) {
      const now = Date.now();
      while (recent.length > 0 && now - recent[0]! >= 1000) recent.shift();
      if (recent.length >= 5) {
        return {
          status: 429,
          body: { errors: [{ error: 'RATE_LIMIT_REACHED', message: 'Rate limit exceeded. Please try again later' }] },
        };
      }
      recent.push(now);
    }

    if (recordId === undefined && request.method === 'GET') return list(request);
    if (recordId === undefined && request.method === 'POST') return create(request);
    if (recordId !== undefined) {
      const record = records.find((candidate) => candidate.id === recordId);
      if (!record) return { status: 404, body: { error: 'NOT_FOUND' } };
      if (request.method === 'GET') return { status: 200, body: record };
      if (request.method === 'PATCH') return update(record, request);
    }
    return { status: 404, body: { error: 'NOT_FOUND' } };
  };

  function list(request: ApiRequest): ApiReply {
    const params = request.url.searchParams;
    const fields = params.getAll('fields[]');
    const unknown = fields.find((field) => !options.fieldNames.includes(field));
    if (unknown) return error(422, 'UNKNOWN_FIELD_NAME', `Unknown field name: "${unknown}"`);
    let matching = records;
    const formula = params.get('filterByFormula');
    if (formula) {
      const clauses = parseFormula(formula);
      if (!clauses)
        return error(422, 'INVALID_FILTER_BY_FORMULA', `The formula for filtering records is invalid: ${formula}`);
      const badField = clauses.find((clause) => !options.fieldNames.includes(clause.field));
      if (badField)
        return error(422, 'INVALID_FILTER_BY_FORMULA', `Unknown field names: ${badField.field.toLowerCase()}`);
      matching = records.filter((record) =>
        clauses.some((clause) => {
          const value = String(record.fields[clause.field] ?? '').toLowerCase();
          return clause.whole ? value.trim() === clause.text : value.includes(clause.text);
        }),
      );
    }
    const maxRecords = Number(params.get('maxRecords') ?? Infinity);
    matching = matching.slice(0, maxRecords);
    const pageSize = Math.min(100, Number(params.get('pageSize') ?? 100));
    const start = Number(params.get('offset') ?? 0);
    const page = matching.slice(start, start + pageSize).map((record) => ({
      ...record,
      fields: fields.length === 0 ? record.fields : pickFields(record.fields, fields),
    }));
    const more = start + pageSize < matching.length;
    return { status: 200, body: more ? { records: page, offset: String(start + pageSize) } : { records: page } };
  }

  function create(request: ApiRequest): ApiReply {
    const body = request.body as { records?: { fields?: Record<string, unknown> }[] } | null;
    if (!body || !Array.isArray(body.records) || body.records.length === 0 || body.records.length > 10) {
      return error(
        422,
        'INVALID_REQUEST_UNKNOWN',
        'Invalid request: parameter validation failed. Check your request data.',
      );
    }
    const created: AirtableRecordFixture[] = [];
    for (const input of body.records) {
      const fieldsError = checkFields(input.fields ?? {});
      if (fieldsError) return fieldsError;
      const record = {
        id: `rec${String(nextId++).padStart(14, '0')}`,
        createdTime: new Date().toISOString(),
        fields: { ...input.fields },
      };
      records.push(record);
      created.push(record);
    }
    return { status: 200, body: { records: created } };
  }

  function update(record: AirtableRecordFixture, request: ApiRequest): ApiReply {
    const fields = (request.body as { fields?: Record<string, unknown> } | null)?.fields ?? {};
    const fieldsError = checkFields(fields);
    if (fieldsError) return fieldsError;
    Object.assign(record.fields, fields);
    return { status: 200, body: record };
  }

  function checkFields(fields: Record<string, unknown>): ApiReply | null {
    const unknown = Object.keys(fields).find((field) => !options.fieldNames.includes(field));
    return unknown ? error(422, 'UNKNOWN_FIELD_NAME', `Unknown field name: "${unknown}"`) : null;
  }

  const server = await startApiServer(handle, options);
  return Object.assign(server, { records });
}

function error(status: number, type: string, message: string): ApiReply {
  return { status, body: { error: { type, message } } };
}

function pickFields(fields: Record<string, unknown>, names: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([name]) => names.includes(name)));
}

/**
 * `FIND("a",LOWER({F}))` (F contains a), `LOWER(TRIM({F}))="a"` (F is a, whole), or several inside `OR(…)` →
 * clauses; null for anything else.
 */
function parseFormula(formula: string): { text: string; field: string; whole: boolean }[] | null {
  const clause = /FIND\("((?:[^"\\]|\\.)*)",LOWER\(\{([^}]+)\}\)\)|LOWER\(TRIM\(\{([^}]+)\}\)\)="((?:[^"\\]|\\.)*)"/g;
  const inner = /^OR\((.*)\)$/s.exec(formula)?.[1] ?? formula;
  const clauses: { text: string; field: string; whole: boolean }[] = [];
  let rest = inner;
  for (const match of inner.matchAll(clause)) {
    const whole = match[3] !== undefined;
    const text = (whole ? match[4]! : match[1]!).replace(/\\(.)/g, '$1');
    clauses.push({ text, field: whole ? match[3]! : match[2]!, whole });
    rest = rest.replace(match[0], '');
  }
  return clauses.length > 0 && rest.replace(/,/g, '').trim() === '' ? clauses : null;
}
