// Passphrase encryption of export streams (protocol/export.md §Encryption): an scrypt-derived
// key and AES-256-GCM over 64 KiB chunks. Each chunk's nonce carries its index and its
// additional data says whether it is the last, so reordering, truncation and tampering are all
// detected; a wrong passphrase fails on the first chunk.
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

const MAGIC = Buffer.from('KEEPENC1');
const SALT_BYTES = 16;
const PREFIX_BYTES = 8;
const TAG_BYTES = 16;
const CHUNK = 64 * 1024;
const HEADER_BYTES = MAGIC.length + SALT_BYTES + 3 + PREFIX_BYTES;
/** scrypt cost: N = 2^15, r = 8, p = 1 (about 32 MiB and a tenth of a second) */
const COST = { log2N: 15, r: 8, p: 1 };

export class DecryptError extends Error {}

function deriveKey(passphrase: string, salt: Buffer, c: { log2N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), salt, 32, { N: 2 ** c.log2N, r: c.r, p: c.p, maxmem: 256 * 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function nonce(prefix: Buffer, index: number): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0);
  n.writeUInt32BE(index, 8);
  return n;
}

function aad(header: Buffer, isLast: boolean): Buffer {
  return Buffer.concat([header, Buffer.from([isLast ? 1 : 0])]);
}

/** A transform that encrypts everything written to it. */
export function encryptStream(passphrase: string): Transform {
  const salt = randomBytes(SALT_BYTES);
  const prefix = randomBytes(PREFIX_BYTES);
  const header = Buffer.concat([MAGIC, salt, Buffer.from([COST.log2N, COST.r, COST.p]), prefix]);
  const keyP = deriveKey(passphrase, salt, COST);
  let pending = Buffer.alloc(0);
  let index = 0;
  let isHeaderSent = false;
  const seal = async (t: Transform, plain: Buffer, isLast: boolean) => {
    const key = await keyP;
    if (!isHeaderSent) {
      t.push(header);
      isHeaderSent = true;
    }
    const c = createCipheriv('aes-256-gcm', key, nonce(prefix, index++));
    c.setAAD(aad(header, isLast));
    const body = Buffer.concat([c.update(plain), c.final()]);
    const len = Buffer.alloc(5);
    len.writeUInt32BE(plain.length, 0);
    len[4] = isLast ? 1 : 0;
    t.push(Buffer.concat([len, body, c.getAuthTag()]));
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      pending = Buffer.concat([pending, chunk]);
      const work = async () => {
        while (pending.length > CHUNK) {
          const plain = pending.subarray(0, CHUNK);
          pending = pending.subarray(CHUNK);
          await seal(this, plain, false);
        }
      };
      work().then(() => done(), done);
    },
    flush(done: TransformCallback) {
      seal(this, pending, true).then(() => done(), done);
    },
  });
}

/** A transform that decrypts; errors with DecryptError on a wrong passphrase, tampering or truncation. */
export function decryptStream(passphrase: string): Transform {
  let buf = Buffer.alloc(0);
  let header: Buffer | undefined;
  let keyP: Promise<Buffer> | undefined;
  let prefix: Buffer | undefined;
  let index = 0;
  let isDone = false;
  const open = async (t: Transform) => {
    if (!header) {
      if (buf.length < HEADER_BYTES) return;
      header = buf.subarray(0, HEADER_BYTES);
      if (!header.subarray(0, MAGIC.length).equals(MAGIC)) throw new DecryptError('not an encrypted Keep export');
      const salt = header.subarray(MAGIC.length, MAGIC.length + SALT_BYTES);
      const c = header.subarray(MAGIC.length + SALT_BYTES, MAGIC.length + SALT_BYTES + 3);
      if (c[0]! > 20 || c[1]! > 32 || c[2]! > 16) throw new DecryptError('the encryption header is damaged');
      prefix = header.subarray(HEADER_BYTES - PREFIX_BYTES);
      keyP = deriveKey(passphrase, salt, { log2N: c[0]!, r: c[1]!, p: c[2]! });
      buf = buf.subarray(HEADER_BYTES);
    }
    const key = await keyP!;
    while (buf.length > 0) {
      if (isDone) throw new DecryptError('data after the last encrypted chunk');
      if (buf.length < 5) return;
      const len = buf.readUInt32BE(0);
      const isLast = buf[4] === 1;
      if (len > CHUNK) throw new DecryptError('the encrypted stream is damaged');
      if (buf.length < 5 + len + TAG_BYTES) return;
      const d = createDecipheriv('aes-256-gcm', key, nonce(prefix!, index++));
      d.setAAD(aad(header, isLast));
      d.setAuthTag(buf.subarray(5 + len, 5 + len + TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([d.update(buf.subarray(5, 5 + len)), d.final()]);
      } catch {
        throw new DecryptError(index === 1 ? 'wrong passphrase, or the file is not intact' : 'the encrypted file has been altered or damaged');
      }
      buf = buf.subarray(5 + len + TAG_BYTES);
      t.push(plain);
      if (isLast) isDone = true;
    }
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      buf = Buffer.concat([buf, chunk]);
      open(this).then(() => done(), done);
    },
    flush(done: TransformCallback) {
      if (!isDone || buf.length > 0) return done(new DecryptError(header ? 'the encrypted file is truncated' : 'not an encrypted Keep export'));
      done();
    },
  });
}

/** Does this start look like an encrypted export? (for import to choose without a flag) */
export function isEncrypted(start: Buffer): boolean {
  return start.length >= MAGIC.length && start.subarray(0, MAGIC.length).equals(MAGIC);
}
