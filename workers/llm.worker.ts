/**
 * The on-device model's worker. WebLLM (and its megabytes of WASM) is imported here only,
 * never on the main thread, so the first screen does not pay for it.
 */
import { WebWorkerMLCEngineHandler } from '@mlc-ai/web-llm';

const handler = new WebWorkerMLCEngineHandler();
self.onmessage = (message: MessageEvent) => handler.onmessage(message);
