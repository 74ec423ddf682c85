import { describe, expect, it } from 'vitest';
import { hasOverlongLine, receivedHeader, startsWithHeader } from '../../../../src/protocols/smtp/received.ts';

describe('SMTP Received header', () => {
  const base = { helo: 'client.example', clientHostname: '[192.0.2.1]', remoteAddress: '192.0.2.1', by: 'keep.test', protocol: 'ESMTPS', id: 'abc123', date: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)) };

  it('names the client, us, the protocol, the id and the single recipient', () => {
    expect(receivedHeader({ ...base, recipient: 'alice@keep.test' })).toBe(
      'Received: from client.example ([192.0.2.1] [192.0.2.1])\r\n\tby keep.test (Keep) with ESMTPS id abc123\r\n\tfor <alice@keep.test>;\r\n\tFri, 02 Jan 2026 03:04:05 +0000\r\n');
  });

  it('leaves out "for" when there is no single recipient', () => {
    expect(receivedHeader(base)).not.toContain('for <');
  });

  it('strips control characters and spaces a client put in its HELO', () => {
    const h = receivedHeader({ ...base, helo: 'evil\r\nX-Injected: yes' });
    expect(h.split('\r\n')[0]).toBe('Received: from evilX-Injected:yes ([192.0.2.1] [192.0.2.1])');
  });
});

describe('SMTP line length', () => {
  it.each([
    ['empty', '', false],
    ['998 octets', 'a'.repeat(998), false],
    ['998 octets + CRLF', `${'a'.repeat(998)}\r\nb\r\n`, false],
    ['999 octets', 'a'.repeat(999), true],
    ['999 octets mid-message', `x\r\n${'a'.repeat(999)}\r\ny\r\n`, true],
    ['999 octets with bare LF', `x\n${'a'.repeat(999)}\n`, true],
  ])('%s → %s', (_name, text, expected) => {
    expect(hasOverlongLine(Buffer.from(text))).toBe(expected);
  });
});

describe('SMTP header detection', () => {
  it.each([
    ['Subject: x\r\n\r\nbody', true],
    ['X-Custom-Header:value\r\n', true],
    ['From : a@b\r\n', true],
    ['just a line of text, no header', false],
    ['\r\nbody after an empty header', false],
    [' folded: not a start\r\n', false],
    ['', false],
  ])('%j → %s', (text, expected) => {
    expect(startsWithHeader(Buffer.from(text))).toBe(expected);
  });
});
