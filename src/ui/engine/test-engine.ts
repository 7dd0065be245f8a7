/**
 * A test-only way for end-to-end tests to put a ScriptedEngine into the app, so the newsletter job
 * and Ask can run in real Chromium without model weights. It reads `globalThis.__SIFT_TEST_ENGINE__`,
 * which only Playwright's `page.addInitScript` sets before the app's scripts run. Only the e2e build
 * (`vite build --mode e2e`) contains this module: the production build leaves it and every mention
 * of the hook out (`scripts/test-hooks.ts` checks), so no user can switch it on.
 *
 * The script is plain data (it crosses from the test into the page as JSON):
 * - `outputs`: raw outputs played back first, in order (to show the gates rejecting and repairing);
 * - `judgeByDomain`: answers for the newsletter job's judgement requests, by link domain
 *   (links not listed are judged "not a startup");
 * - `plan`: the tool calls an Ask run makes, in order, then its answer;
 * - `info`: overrides of the engine's info (id, location, size, contextWindow);
 * - `speed`: the timings it reports with every call, as WebLLM does (first token, prefill, decode, grammar).
 */
import type { CallSpeed, ChatEngine, EngineInfo } from '../../core/engines/engine.ts';
import { ScriptedEngine, type ScriptedReply } from '../../core/engines/scripted.ts';
import { judgeOracle, planOracle, requestedIds, requestedLinks } from '../../../tests/support/oracles.ts';
import type { ToolCall } from '../../core/agent/tool-calls.ts';

export interface TestEngineScript {
  judgeByDomain?: Record<string, { startup: boolean; name?: string }>;
  plan?: { calls: ToolCall[]; answer: string };
  outputs?: ScriptedReply[];
  info?: Partial<EngineInfo>;
  speed?: CallSpeed;
}

declare global {
  var __SIFT_TEST_ENGINE__: TestEngineScript | undefined;
}

export function testEngineFromScript(script: TestEngineScript): ScriptedEngine {
  const outputs = [...(script.outputs ?? [])];
  let played = 0;
  const plan = script.plan ? planOracle(script.plan.calls, script.plan.answer) : null;
  return new ScriptedEngine(
    (request, index) => {
      if (played < outputs.length) return outputs[played++]!;
      const judging = script.judgeByDomain && requestedIds(request).every((id) => /^L\d+$/.test(id));
      if (judging && requestedIds(request).length > 0) {
        const domains = new Map(requestedLinks(request).map((link) => [link.id, link.domain]));
        return judgeOracle((id) => {
          const domain = domains.get(id) ?? '';
          const verdict = script.judgeByDomain![domain];
          return { startup: verdict?.startup ?? false, name: verdict?.name || domain.split('.')[0] || id };
        })(request, index);
      }
      if (plan) return plan(request, index);
      throw new Error(`The test engine has no scripted output for request ${index + 1}.`);
    },
    { id: 'test:scripted', model: 'scripted', location: 'test', ...script.info },
    script.speed ? { speed: script.speed } : {},
  );
}

/** The engine an end-to-end test injected, or null (always null for real users). */
export function testEngineFromPage(): ChatEngine | null {
  const script = globalThis.__SIFT_TEST_ENGINE__;
  if (!script || typeof script !== 'object') return null;
  return testEngineFromScript(script);
}
