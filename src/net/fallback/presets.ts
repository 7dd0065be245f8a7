/**
 * Fallback endpoints people use, as starting points: the user can change any field. Cloud
 * presets need a key; model servers on the user's own machine usually do not. `structured`
 * is what the endpoint is known to accept for `response_format`; the engine still steps down
 * gracefully if a particular model or version refuses it.
 */
export type FallbackProtocol = 'openai-compatible' | 'anthropic';

/** `json_schema`: OpenAI's structured outputs; `json_object`: JSON mode only; `none`: prompt + validation. */
export type StructuredOutput = 'json_schema' | 'json_object' | 'none';

export interface FallbackPreset {
  id: string;
  label: string;
  protocol: FallbackProtocol;
  baseUrl: string;
  /** A model id that exists on that endpoint today; a suggestion, not a requirement. */
  model: string;
  needsKey: boolean;
  structured: StructuredOutput;
  contextWindow: number;
  /** One line shown under the picker: what to do on the server side for browser calls to work. */
  note: string;
}

export const FALLBACK_PRESETS: readonly FallbackPreset[] = [
  {
    id: 'openai',
    label: 'OpenAI',
    protocol: 'openai-compatible',
    baseUrl: 'https://api.openai.com/v1',
    model: 'gpt-4.1-mini',
    needsKey: true,
    structured: 'json_schema',
    contextWindow: 128_000,
    note: 'Cloud. Uses your OpenAI API key; calls go from this browser straight to api.openai.com.',
  },
  {
    id: 'openrouter',
    label: 'OpenRouter',
    protocol: 'openai-compatible',
    baseUrl: 'https://openrouter.ai/api/v1',
    model: 'qwen/qwen3-30b-a3b',
    needsKey: true,
    structured: 'json_schema',
    contextWindow: 32_000,
    note: 'Cloud. One key for many models; structured output depends on the model’s provider.',
  },
  {
    id: 'groq',
    label: 'Groq',
    protocol: 'openai-compatible',
    baseUrl: 'https://api.groq.com/openai/v1',
    model: 'openai/gpt-oss-20b',
    needsKey: true,
    structured: 'json_schema',
    contextWindow: 128_000,
    note: 'Cloud. Fast; structured output on the models Groq lists for it.',
  },
  {
    id: 'together',
    label: 'Together AI',
    protocol: 'openai-compatible',
    baseUrl: 'https://api.together.xyz/v1',
    model: 'Qwen/Qwen3-235B-A22B-Instruct-2507-tput',
    needsKey: true,
    structured: 'json_schema',
    contextWindow: 32_000,
    note: 'Cloud. JSON mode on most chat models.',
  },
  {
    id: 'anthropic',
    label: 'Anthropic',
    protocol: 'anthropic',
    baseUrl: 'https://api.anthropic.com',
    model: 'claude-haiku-4-5',
    needsKey: true,
    structured: 'json_schema',
    contextWindow: 200_000,
    note: 'Cloud. Calls the Messages API from the browser (direct browser access); answers come through one forced tool.',
  },
  {
    id: 'ollama',
    label: 'Ollama (your machine)',
    protocol: 'openai-compatible',
    baseUrl: 'http://localhost:11434/v1',
    model: 'qwen3:30b',
    needsKey: false,
    structured: 'json_schema',
    contextWindow: 32_768,
    note: 'On your machine or network. Start Ollama with OLLAMA_ORIGINS set to this page’s origin so the browser may call it.',
  },
  {
    id: 'lm-studio',
    label: 'LM Studio (your machine)',
    protocol: 'openai-compatible',
    baseUrl: 'http://localhost:1234/v1',
    model: 'qwen/qwen3-30b-a3b',
    needsKey: false,
    structured: 'json_schema',
    contextWindow: 32_768,
    note: 'On your machine or network. Turn on “Enable CORS” in LM Studio’s server settings.',
  },
  {
    id: 'llama-cpp',
    label: 'llama.cpp server (your machine)',
    protocol: 'openai-compatible',
    baseUrl: 'http://localhost:8080/v1',
    model: 'xLAM-2-8b-fc-r',
    needsKey: false,
    structured: 'json_schema',
    contextWindow: 32_768,
    note: 'On your machine or network. llama-server answers browser calls out of the box; the model name is informational.',
  },
  {
    id: 'custom',
    label: 'Other OpenAI-compatible endpoint',
    protocol: 'openai-compatible',
    baseUrl: '',
    model: '',
    needsKey: false,
    structured: 'json_schema',
    contextWindow: 32_768,
    note: 'Any server that speaks /v1/chat/completions and allows calls from this page’s origin (CORS).',
  },
];

export function findPreset(id: string): FallbackPreset | undefined {
  return FALLBACK_PRESETS.find((preset) => preset.id === id);
}
