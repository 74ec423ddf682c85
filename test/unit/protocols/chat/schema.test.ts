// Client frame parsing: JSON text in, a typed message or the exact refusal out.
import { describe, expect, it } from 'vitest';
import { ChatError } from '../../../../src/protocols/chat/errors.ts';
import { parseFrame } from '../../../../src/protocols/chat/schema.ts';

describe('parseFrame', () => {
  it.each([
    ['{"type":"join","room":"Lobby"}', { type: 'join', room: 'Lobby' }],
    ['{"type":"join","room":"Lobby","since":41,"id":7}', { type: 'join', room: 'Lobby', since: 41, id: 7 }],
    ['{"type":"join","room":"Lobby","since":null}', { type: 'join', room: 'Lobby' }],
    ['{"type":"say","room":"Lobby","text":"hi","extra":true}', { type: 'say', room: 'Lobby', text: 'hi' }],
    ['{"type":"say","room":"Lobby","text":""}', { type: 'say', room: 'Lobby', text: '' }],
    ['{"type":"page","to":"bob","text":"psst","id":"a1"}', { type: 'page', to: 'bob', text: 'psst', id: 'a1' }],
    ['{"type":"typing","room":"Lobby"}', { type: 'typing', room: 'Lobby' }],
    ['{"type":"seen","room":"Lobby","msgnum":0}', { type: 'seen', room: 'Lobby', msgnum: 0 }],
    ['{"type":"leave","room":"Lobby"}', { type: 'leave', room: 'Lobby' }],
    ['{"type":"direct","user":"bob"}', { type: 'direct', user: 'bob' }],
    ['{"type":"say","room":"Lobby","text":"x","id":{"no":1}}', { type: 'say', room: 'Lobby', text: 'x' }],
  ])('parses %s', (text, expected) => {
    expect(parseFrame(text, false)).toEqual(expected);
  });

  it.each([
    ['{"type":"say",', 'Malformed JSON.'],
    ['', 'Malformed JSON.'],
    ['"join"', 'A frame must be a JSON object.'],
    ['null', 'A frame must be a JSON object.'],
    ['[{"type":"join"}]', 'A frame must be a JSON object.'],
    ['{"room":"Lobby"}', "A frame needs a 'type'."],
    ['{"type":7}', "A frame needs a 'type'."],
    ['{"type":"shout"}', "Unknown type 'shout'."],
    ['{"type":"toString"}', "Unknown type 'toString'."],
    ['{"type":"__proto__"}', "Unknown type '__proto__'."],
    ['{"type":"join"}', "'join' needs 'room'."],
    ['{"type":"join","room":""}', "'room' must be 1 to 100 characters."],
    ['{"type":"join","room":"   "}', "'room' must be 1 to 100 characters."],
    [`{"type":"join","room":"${'r'.repeat(101)}"}`, "'room' must be 1 to 100 characters."],
    ['{"type":"join","room":42}', "'room' must be a string."],
    ['{"type":"join","room":"Lobby","since":-1}', "'since' must be a message number."],
    ['{"type":"join","room":"Lobby","since":1.5}', "'since' must be a message number."],
    ['{"type":"join","room":"Lobby","since":"4"}', "'since' must be a message number."],
    ['{"type":"say","room":"Lobby"}', "'say' needs 'text'."],
    ['{"type":"say","room":"Lobby","text":5}', "'text' must be a string."],
    ['{"type":"page","text":"x"}', "'page' needs 'to'."],
    ['{"type":"seen","room":"Lobby"}', "'seen' needs 'msgnum'."],
  ])('refuses %s with %s', (text, message) => {
    expect(() => parseFrame(text, false)).toThrow(new ChatError('invalid', message));
  });

  it('refuses binary frames', () => {
    expect(() => parseFrame('{"type":"join","room":"Lobby"}', true)).toThrow('Frames must be JSON text.');
  });
});
