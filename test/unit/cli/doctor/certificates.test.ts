// keepd doctor's verdict on one certificate: names, expiry, self-signed (issue 21).
import { X509Certificate } from 'node:crypto';
import selfsigned from 'selfsigned';
import { beforeAll, describe, expect, it } from 'vitest';
import { judgeCertificate } from '../../../../src/cli/doctor/certificates.ts';

const DAY = 86_400_000;
const NAMES = ['keep.test', 'mail.keep.test'];
let cert: X509Certificate;
let notAfter: number;

beforeAll(async () => {
  notAfter = Date.now() + 100 * DAY;
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'keep.test' }], {
    keySize: 2048, algorithm: 'sha256', notBeforeDate: new Date(Date.now() - DAY), notAfterDate: new Date(notAfter),
    extensions: [{ name: 'subjectAltName', altNames: NAMES.map((value) => ({ type: 2, value })) }],
  });
  cert = new X509Certificate(pems.cert);
}, 30_000);

describe('judgeCertificate', () => {
  it('is ok for a certificate covering every name with time left, self-signed on loopback', () => {
    expect(judgeCertificate(cert, { names: NAMES, now: Date.now(), isLoopback: true }).status).toBe('ok');
  });

  it('warns about a self-signed certificate on a public address', () => {
    const v = judgeCertificate(cert, { names: NAMES, now: Date.now(), isLoopback: false });
    expect(v).toMatchObject({ status: 'warn', detail: expect.stringMatching(/self-signed: clients will not trust it/) });
  });

  it('fails when a name is not covered', () => {
    const v = judgeCertificate(cert, { names: [...NAMES, 'news.keep.test'], now: Date.now(), isLoopback: true });
    expect(v).toMatchObject({ status: 'fail', detail: expect.stringMatching(/does not cover news\.keep\.test/) });
  });

  it.each([
    [40, 'ok'], [20, 'warn'], [10, 'fail'],
  ])('with %i days left says %s', (days, status) => {
    expect(judgeCertificate(cert, { names: NAMES, now: notAfter - days * DAY - 1000, isLoopback: true }).status).toBe(status);
  });

  it('fails an expired certificate and one not yet valid', () => {
    expect(judgeCertificate(cert, { names: NAMES, now: notAfter + DAY, isLoopback: true })).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^expired on/) });
    expect(judgeCertificate(cert, { names: NAMES, now: Date.now() - 2 * DAY, isLoopback: true })).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^not valid before/) });
  });
});
