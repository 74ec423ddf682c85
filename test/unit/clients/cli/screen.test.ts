import { describe, expect, it } from 'vitest';
import { wrap } from '../../../../clients/cli/src/interactive/pager.ts';
import { splitKeys } from '../../../../clients/cli/src/interactive/terminal.ts';
import { messageJson, messageText, whoText } from '../../../../clients/cli/src/output/format.ts';

describe('keep screen helpers', () => {
  it.each([
    ['short', 10, ['short']],
    ['one two three four', 9, ['one two', 'three', 'four']],
    ['abcdefghijkl', 5, ['abcde', 'fghij', 'kl']],
    ['a\n\nb', 5, ['a', '', 'b']],
  ])('wraps %j at %i columns', (text, width, lines) => {
    expect(wrap(text, width)).toEqual(lines);
  });

  it('keeps an escape sequence as one key', () => {
    expect(splitKeys('a\u001b[Ab\r')).toEqual(['a', '\u001b[A', 'b', '\r']);
    expect(splitKeys('é😀')).toEqual(['é', '😀']);
  });

  it('renders a message as text and as the JSON of keep read', () => {
    const m = { msgnum: 7, from: 'ann', address: '', room: 'Lobby', recipient: '', subject: 'Hi', time: 1795389545, text: 'Hello.', messageId: '7@keep' };
    expect(messageJson(m)).toEqual({ msgnum: 7, from: 'ann', subject: 'Hi', time: '2026-11-22T23:19:05.000Z', text: 'Hello.', room: 'Lobby' });
    expect(messageText(m)).toMatch(/^#7 \d{4}-\d\d-\d\d \d\d:\d\d from ann\nSubject: Hi\n\nHello\.\n$/);
  });

  it('lists each user once in who, with the room of their latest session', () => {
    const base = { host: '127.0.0.1', client: 'keep-cli', flags: '.' };
    const text = whoText([
      { ...base, session: 1, user: 'ann', room: 'Lobby', lastActive: 100 },
      { ...base, session: 2, user: 'ann', room: 'Garden', lastActive: 200 },
      { ...base, session: 3, user: 'bo', room: 'Lobby', lastActive: 200 },
    ], 200);
    expect(text.split('\n')).toEqual(['User                 Room', 'ann                  Garden', 'bo                   Lobby', '']);
  });
});
