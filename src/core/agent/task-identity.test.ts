import { describe, expect, it } from 'vitest';
import { qwen3EmptyThinkBlock } from '../engines/engine.ts';
import { candidateLine, judgeMessages } from './judge-prompt.ts';
import { candidateTasks, decisionKey, tasksOf } from './task-identity.ts';
import { linkCandidate } from '../bench/sandbox.ts';

const acme = linkCandidate({
  id: 'L3',
  domain: 'acme.ai',
  text: 'Acme raises $5M',
  context: 'Acme, a robotics startup, raised a seed round.',
  heading: 'Funding',
});
const blog = linkCandidate({ id: 'L7', domain: 'blog.example', text: '', context: 'A post about agents.' });
const lines = [candidateLine(acme, undefined), candidateLine(blog, { status: 'in-crm', company: null, evidence: [] })];

describe('task identity: what is judged, never how it is asked', () => {
  it('reads each candidate from the lines candidateLine writes: domain and anchor text', () => {
    const tasks = candidateTasks({ messages: judgeMessages(lines, ['L3', 'L7']) });
    expect(tasks).toEqual(
      new Map([
        ['L3', 'link acme.ai Acme raises $5M'],
        ['L7', 'link blog.example'],
      ]),
    );
  });

  it('the same tasks whatever the order, the wording around the lines or a repair turn after them', () => {
    const asked = tasksOf({ messages: judgeMessages(lines, ['L3', 'L7']) }, { L3: {}, L7: {} });
    const reworded = tasksOf(
      {
        messages: [
          { role: 'system', content: 'Classify links.' },
          { role: 'user', content: `Candidates (any order):\n${[...lines].reverse().join('\n')}\nJSON please.` },
          { role: 'assistant', content: '{"L3":' },
          { role: 'user', content: '<tool_error>\n- L3: cut off\n</tool_error>' },
        ],
      },
      { L7: {}, L3: {} },
    );
    const byId = (tasks: typeof asked) => new Map(tasks.map((task) => [task.answerKey, task.key]));
    expect(byId(reworded)).toEqual(byId(asked));
    expect(asked.map((task) => task.answerKey)).toEqual(['L3', 'L7']);
  });

  it('an Ask decision: the instruction as typed and the calls executed, not repairs, seeds or the system prompt', () => {
    const base = [
      { role: 'system' as const, content: 'You are Sift.' },
      { role: 'user' as const, content: 'Tag Acme with robotics.' },
      { role: 'assistant' as const, content: '{"tool":"extract_links","arguments":{}}' },
      { role: 'user' as const, content: '<tool_response>\n{"links":3}\n</tool_response>' },
    ];
    const key = decisionKey({ messages: base });
    expect(key).toContain('Tag Acme with robotics.');
    const repaired = [
      ...base,
      { role: 'assistant' as const, content: '{"tool":"tag_company"}' },
      { role: 'user' as const, content: '<tool_error>\n- missing arguments\n</tool_error>' },
    ];
    expect(decisionKey({ messages: repaired })).toBe(key);
    const reworded = [{ role: 'system' as const, content: 'Plan tool calls.' }, ...base.slice(1)];
    expect(decisionKey({ messages: reworded })).toBe(key);
    // The same call, as Qwen3 wrote it (think block, other key order, whitespace).
    const raw = base.map((message, index) =>
      index === 2
        ? { ...message, content: `${qwen3EmptyThinkBlock}{"arguments": {}, "tool": "extract_links"}` }
        : message,
    );
    expect(decisionKey({ messages: raw })).toBe(key);
    const later = [
      ...base,
      { role: 'assistant' as const, content: '{"tool":"lookup_company","arguments":{"link_id":"L1"}}' },
      { role: 'user' as const, content: '<tool_response>\n{"status":"in-crm"}\n</tool_response>' },
    ];
    expect(decisionKey({ messages: later })).not.toBe(key);
    expect(tasksOf({ messages: base }, { tool: 'x' })).toEqual([{ key, answerKey: null }]);
  });
});
