// Address lists as ENVELOPE keeps them: groups and source routes (RFC 5322 §3.4, §4.4).
import { describe, expect, it } from 'vitest';
import { envelopeAddresses, hasGroupOrRoute } from '../../../../src/core/mime/address-list.ts';

describe('core/mime envelopeAddresses', () => {
  it.each([
    ['group: g1@d1.org, g2@d2.org;, group2: g3@d3.org;', [{ mailbox: 'group' }, { mailbox: 'g1', host: 'd1.org' }, { mailbox: 'g2', host: 'd2.org' }, {}, { mailbox: 'group2' }, { mailbox: 'g3', host: 'd3.org' }, {}]],
    ['group:;, group2: (foo) ;', [{ mailbox: 'group' }, {}, { mailbox: 'group2' }, {}]],
    ['<@route:user@domain>', [{ route: '@route', mailbox: 'user', host: 'domain' }]],
    ['Team: "Ann B." <ann@x.org>, bob@y.org (Bob);', [{ mailbox: 'Team' }, { name: 'Ann B.', mailbox: 'ann', host: 'x.org' }, { name: 'Bob', mailbox: 'bob', host: 'y.org' }, {}]],
  ])('lists %j', (value, expected) => {
    expect(hasGroupOrRoute(value)).toBe(true);
    expect(envelopeAddresses(value)).toEqual(expected);
  });

  it.each(['a@b', 'Real Name <a@b>', '"x: y" <a@b>', 'a@b (c: d)'])('leaves %j to the flat lists', (value) => {
    expect(hasGroupOrRoute(value)).toBe(false);
  });
});
