/**
 * A local server that speaks Anthropic's documented Messages API (`POST /v1/messages`, `x-api-key`,
 * `anthropic-version`, tools with `tool_choice`), for unit and end-to-end tests of the Anthropic
 * fallback engine. Like the real API it refuses browser calls that lack
 * `anthropic-dangerous-direct-browser-access: true`. A forced tool is answered with the smallest
 * input its schema accepts, unless a test scripts it.
 *
 *   npx tsx tests/servers/anthropic.ts [--port 8090] [--key sk-ant-test]
 */
import { parseArgs } from 'node:util';
import { exampleOf, startJsonServer, type LocalServer, type RecordedRequest } from './http.ts';

export interface AnthropicServerOptions {
  port?: number;
  apiKey?: string;
  /** Scripts the forced tool's input (or the text, without tools). */
  answer?: (body: MessagesBody, request: RecordedRequest) => unknown;
}

export interface MessagesBody {
  model: string;
  system?: string;
  max_tokens: number;
  messages: { role: 'user' | 'assistant'; content: string }[];
  tools?: { name: string; input_schema: unknown }[];
  tool_choice?: { type: string; name?: string };
}

const error = (status: number, type: string, message: string) => ({
  status,
  json: { type: 'error', error: { type, message } },
});

export function startAnthropicServer(options: AnthropicServerOptions = {}): Promise<LocalServer> {
  return startJsonServer((request) => {
    if (request.method !== 'POST' || request.path !== '/v1/messages') return error(404, 'not_found_error', 'Not found');
    if (!request.headers['anthropic-version'])
      return error(400, 'invalid_request_error', 'anthropic-version header is required');
    if (request.headers.origin && request.headers['anthropic-dangerous-direct-browser-access'] !== 'true') {
      return error(
        401,
        'authentication_error',
        'CORS requests must set the anthropic-dangerous-direct-browser-access header',
      );
    }
    if (options.apiKey && request.headers['x-api-key'] !== options.apiKey) {
      return error(401, 'authentication_error', 'invalid x-api-key');
    }
    const body = JSON.parse(request.body) as MessagesBody;
    if (!body.max_tokens) return error(400, 'invalid_request_error', 'max_tokens: Field required');
    if (body.messages[0]?.role !== 'user')
      return error(400, 'invalid_request_error', 'first message must use the "user" role');
    const forced =
      body.tool_choice?.type === 'tool' ? body.tools?.find((tool) => tool.name === body.tool_choice?.name) : undefined;
    const scripted = options.answer?.(body, request);
    const content = forced
      ? [{ type: 'tool_use', id: 'toolu_local', name: forced.name, input: scripted ?? exampleOf(forced.input_schema) }]
      : [{ type: 'text', text: typeof scripted === 'string' ? scripted : 'Hello.' }];
    return {
      status: 200,
      json: {
        id: `msg_local_${Date.now()}`,
        type: 'message',
        role: 'assistant',
        model: body.model,
        content,
        stop_reason: forced ? 'tool_use' : 'end_turn',
        usage: {
          input_tokens: Math.ceil((JSON.stringify(body.messages).length + (body.system?.length ?? 0)) / 4),
          output_tokens: Math.ceil(JSON.stringify(content).length / 4),
        },
      },
    };
  }, options.port);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8090' }, key: { type: 'string' } } });
  const server = await startAnthropicServer({
    port: Number(values.port),
    ...(values.key ? { apiKey: values.key } : {}),
  });
  console.log(`Anthropic Messages test server at ${server.origin}`);
}
