// The session cookie: Cookie header parsing and the Set-Cookie attributes.
import { describe, expect, it } from 'vitest';
import { parseCookies, sessionCookie } from '../../../../src/protocols/chat/cookies.ts';

describe('parseCookies', () => {
  it.each([
    [undefined, {}],
    ['', {}],
    ['keep_session=abc', { keep_session: 'abc' }],
    ['a=1; keep_session=abc-_9; b=2', { a: '1', keep_session: 'abc-_9', b: '2' }],
    ['keep_session="quoted"', { keep_session: 'quoted' }],
    ['keep_session=first; keep_session=second', { keep_session: 'first' }],
    ['novalue; =empty; x=', { x: '' }],
  ])('reads %j', (header, expected) => {
    expect(Object.fromEntries(parseCookies(header))).toEqual(expected);
  });
});

describe('sessionCookie', () => {
  it('is HttpOnly, SameSite=Strict, path-wide and expires', () => {
    expect(sessionCookie('id1', { maxAgeSeconds: 60, isSecure: false })).toBe('keep_session=id1; Path=/; HttpOnly; SameSite=Strict; Max-Age=60');
  });

  it('adds Secure over TLS and clears with Max-Age=0', () => {
    expect(sessionCookie('', { maxAgeSeconds: 0, isSecure: true })).toBe('keep_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure');
  });
});
