import { describe, expect, it } from 'vitest';
import { locationOf } from './location.ts';

describe('locationOf', () => {
  it.each([
    'http://localhost:11434/v1',
    'http://127.0.0.1:8080/v1',
    'http://[::1]:1234/v1',
    'http://192.168.1.20:11434/v1',
    'http://10.0.0.5/v1',
    'http://172.20.3.4:8000/v1',
    'http://gpubox.local:1234/v1',
    'http://gpubox:11434/v1',
    'https://llm.corp.internal/v1',
    'http://100.101.102.103:11434/v1',
    'http://[fd12:3456::1]:8080/v1',
  ])('%s is on-premises', (url) => {
    expect(locationOf(url)).toBe('on-premises');
  });

  it.each([
    'https://api.openai.com/v1',
    'https://openrouter.ai/api/v1',
    'https://api.anthropic.com',
    'http://172.32.0.1/v1',
    'http://8.8.8.8/v1',
    'http://[2001:db8::1]/v1',
    'not a url',
  ])('%s is cloud', (url) => {
    expect(locationOf(url)).toBe('cloud');
  });
});
