import { describe, expect, it } from 'vitest';
import { parseRoutes, routeFor } from '../../../../src/protocols/smtp/outbound/routes.ts';

describe('KEEP_SMTP_ROUTES', () => {
  it.each([
    ['remote.test=127.0.0.1:2526', 'remote.test', { host: '127.0.0.1', port: 2526 }],
    ['Example.COM=mx.example.net:25', 'example.com', { host: 'mx.example.net', port: 25 }],
    ['*=user:p%40ss@smarthost.example:587', '*', { host: 'smarthost.example', port: 587, auth: { user: 'user', pass: 'p@ss' } }],
    ['v6.test=[::1]:2525', 'v6.test', { host: '::1', port: 2525 }],
  ])('parses %s', (entry, domain, route) => {
    expect(parseRoutes([entry]).get(domain)).toEqual(route);
  });

  it.each(['remote.test', 'remote.test=host', 'remote.test=host:0', 'remote.test=host:99999', '=host:25', 'a b=host:25'])('refuses %s', (entry) => {
    expect(() => parseRoutes([entry])).toThrow(/KEEP_SMTP_ROUTES/);
  });

  it('prefers the domain\'s own route over the smarthost, and has none without either', () => {
    const routes = parseRoutes(['remote.test=a:1', '*=b:2']);
    expect(routeFor(routes, 'REMOTE.test')?.host).toBe('a');
    expect(routeFor(routes, 'other.test')?.host).toBe('b');
    expect(routeFor(parseRoutes([]), 'other.test')).toBeUndefined();
  });
});
