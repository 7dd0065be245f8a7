/**
 * A local server that speaks OpenAI's documented `/v1/chat/completions` protocol (the one
 * Ollama, LM Studio, llama.cpp server, Groq, Together and OpenRouter also speak), for unit and
 * end-to-end tests of the fallback engine. It answers with the smallest value the request's
 * JSON schema accepts, unless a test scripts the answer.
 *
 *   npx tsx tests/servers/openai-compatible.ts [--port 8089] [--key sk-test]
 */
import { parseArgs } from 'node:util';
import { bearerOf, exampleOf, startJsonServer, type LocalServer, type RecordedRequest } from './http.ts';

export interface OpenAICompatibleServerOptions {
  port?: number;
  /** When set, requests without `Authorization: Bearer <key>` get 401, like the real APIs. */
  apiKey?: string;
  /** Which `response_format` types this server accepts; others get a 400 naming response_format. */
  accepts?: ('json_schema' | 'json_object')[];
  /** Parameters refused the way OpenAI's reasoning models refuse them (400 "Unsupported ..."). */
  refuses?: ('max_tokens' | 'temperature')[];
  /** Scripts the assistant's content; default: the smallest value the schema accepts, or `{"ok":true}`. */
  answer?: (body: ChatBody, request: RecordedRequest) => string;
}

export interface ChatBody {
  model: string;
  messages: { role: string; content: string }[];
  response_format?: { type: string; json_schema?: { schema?: unknown } };
  max_tokens?: number;
}

export function startOpenAICompatibleServer(options: OpenAICompatibleServerOptions = {}): Promise<LocalServer> {
  const accepts = options.accepts ?? ['json_schema', 'json_object'];
  return startJsonServer((request) => {
    if (request.method !== 'POST' || !request.path.endsWith('/chat/completions')) {
      return { status: 404, json: { error: { message: `No route ${request.method} ${request.path}` } } };
    }
    if (options.apiKey && bearerOf(request) !== options.apiKey) {
      return {
        status: 401,
        json: { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error' } },
      };
    }
    const body = JSON.parse(request.body) as ChatBody & { temperature?: number };
    if (options.refuses?.includes('max_tokens') && body.max_tokens !== undefined) {
      return {
        status: 400,
        json: {
          error: {
            message:
              "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
            param: 'max_tokens',
          },
        },
      };
    }
    if (options.refuses?.includes('temperature') && body.temperature !== undefined && body.temperature !== 1) {
      return {
        status: 400,
        json: {
          error: {
            message: `Unsupported value: 'temperature' does not support ${body.temperature} with this model. Only the default (1) value is supported.`,
            param: 'temperature',
          },
        },
      };
    }
    const format = body.response_format?.type;
    if (format && format !== 'text' && !accepts.includes(format as 'json_schema')) {
      return {
        status: 400,
        json: { error: { message: `response_format type '${format}' is not supported by this model.` } },
      };
    }
    const content =
      options.answer?.(body, request) ??
      JSON.stringify(format === 'json_schema' ? exampleOf(body.response_format?.json_schema?.schema) : { ok: true });
    const promptTokens = Math.ceil(JSON.stringify(body.messages).length / 4);
    const completionTokens = Math.ceil(content.length / 4);
    return {
      status: 200,
      json: {
        id: `chatcmpl-local-${Date.now()}`,
        object: 'chat.completion',
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
        },
      },
    };
  }, options.port);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8089' }, key: { type: 'string' } } });
  const server = await startOpenAICompatibleServer({
    port: Number(values.port),
    ...(values.key ? { apiKey: values.key } : {}),
  });
  console.log(`OpenAI-compatible test server at ${server.origin}/v1`);
}
