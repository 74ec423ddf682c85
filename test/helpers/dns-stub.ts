// A DNS server on loopback for tests (UDP and TCP, dns-packet encoding): answers from a zone
// the test controls, NXDOMAIN for unknown names, and never answers names marked silent (so a
// lookup times out, as behind a dead resolver). Point keepd at it with KEEP_DNS_SERVERS.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import dnsPacket, { type Answer, type Packet } from 'dns-packet';

export interface Zone {
  TXT?: Record<string, string[]>;
  MX?: Record<string, { exchange: string; priority: number }[]>;
  A?: Record<string, string[]>;
}

export interface DnsStub {
  /** host:port for KEEP_DNS_SERVERS */
  server: string;
  zone: Required<Zone>;
  /** names (lower case) that get no answer at all */
  silent: Set<string>;
  queries: { name: string; type: string }[];
  close(): Promise<void>;
}

/** TXT text split into character strings of at most 255 octets (RFC 1035 §3.3.14). */
function chunks(text: string): Buffer[] {
  const b = Buffer.from(text);
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += 255) out.push(b.subarray(i, i + 255));
  return out.length ? out : [Buffer.alloc(0)];
}

export async function startDnsStub(initial: Zone = {}): Promise<DnsStub> {
  const zone: Required<Zone> = { TXT: {}, MX: {}, A: {}, ...initial };
  const silent = new Set<string>();
  const queries: { name: string; type: string }[] = [];
  const norm = (n: string) => n.toLowerCase().replace(/\.$/, '');

  const answer = (query: Packet): Buffer | undefined => {
    const q = query.questions?.[0];
    if (!q) return undefined;
    const name = norm(q.name);
    queries.push({ name, type: q.type });
    if (silent.has(name)) return undefined;
    const answers: Answer[] = [];
    const known = [zone.TXT, zone.MX, zone.A].some((t) => Object.keys(t).some((k) => norm(k) === name));
    const find = <T>(table: Record<string, T>) => Object.entries(table).find(([k]) => norm(k) === name)?.[1];
    if (q.type === 'TXT') for (const t of find(zone.TXT) ?? []) answers.push({ type: 'TXT', name: q.name, ttl: 60, data: chunks(t) });
    if (q.type === 'MX') for (const m of find(zone.MX) ?? []) answers.push({ type: 'MX', name: q.name, ttl: 60, data: { preference: m.priority, exchange: m.exchange } });
    if (q.type === 'A') for (const a of find(zone.A) ?? []) answers.push({ type: 'A', name: q.name, ttl: 60, data: a });
    return dnsPacket.encode({
      type: 'response', id: query.id, flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | dnsPacket.AUTHORITATIVE_ANSWER,
      questions: query.questions, answers, ...(known ? {} : { rcode: 'NXDOMAIN' }),
    } as Packet);
  };

  const udp: UdpSocket = createSocket('udp4');
  udp.on('message', (msg, rinfo) => {
    let reply: Buffer | undefined;
    try {
      reply = answer(dnsPacket.decode(msg));
    } catch {
      return; // not a DNS query: ignore it, as a server would
    }
    if (reply) udp.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', () => resolve()));
  const port = udp.address().port;

  // the same port over TCP, for answers too big for a UDP datagram
  const tcp: Server = createServer((sock) => {
    let buf = Buffer.alloc(0);
    sock.on('error', () => sock.destroy());
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const len = buf.readUInt16BE(0);
        const reply = answer(dnsPacket.decode(buf.subarray(2, 2 + len)));
        buf = buf.subarray(2 + len);
        if (reply) sock.write(Buffer.concat([Buffer.from([reply.length >> 8, reply.length & 0xff]), reply]));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    server: `127.0.0.1:${(tcp.address() as AddressInfo).port}`, zone, silent, queries,
    close: async () => {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
    },
  };
}
