// Server frames: who-is-online from every protocol's sessions, and line frames.
import { describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../../../src/core/index.ts';
import { messageFrame, whoList } from '../../../../src/protocols/chat/render.ts';

const session = (sid: number, proto: string, name?: string, room?: string): SessionInfo => ({
  sid, proto, host: '127.0.0.1', client: proto, lastActive: 0, lastCmd: '', loggedIn: 0, isPosting: false,
  ...(name ? { name, usernum: sid } : {}), ...(room ? { room } : {}),
});

describe('whoList', () => {
  it('gives one entry per user with every protocol they use, sorted by name, without stealthy sessions', () => {
    const list = whoList([
      session(1, 'native', 'erin', 'Lobby'),
      session(2, 'web', 'alice'),
      session(3, 'web', 'erin', 'Tea Room'),
      session(4, 'native', 'erin'),
      session(5, 'imap'),
      { ...session(6, 'native', 'stealthy'), isStealth: true },
    ]);
    expect(list).toEqual([
      { name: 'alice', via: ['web'] },
      { name: 'erin', via: ['native', 'web'], room: 'Tea Room' },
    ]);
  });
});

describe('messageFrame', () => {
  it('renders a line with the stable fields', () => {
    expect(JSON.parse(messageFrame('Lobby', { msgnum: 41, from: 'alice', text: 'hi', time: 5 }))).toEqual({
      type: 'message', room: 'Lobby', msgnum: 41, from: 'alice', text: 'hi', time: 5,
    });
  });
});
