import { describe, expect, it } from 'vitest';
import { messageOf } from './error-message.ts';

describe('messageOf', () => {
  it('reads an Error by its message, and anything else as it prints', () => {
    expect(messageOf(new TypeError('The file is not a CSV.'))).toBe('The file is not a CSV.');
    expect(messageOf('QuotaExceededError')).toBe('QuotaExceededError');
    expect(messageOf(undefined)).toBe('undefined');
  });
});
