// Plain-text and JSON renderings of what the server told us. Pure: values in, text out.
import type { MessageView, RoomEntry, WhoEntry } from '../wire/parse.ts';

/** The JSON shape of one message (`keep read --json`). */
export interface MessageJson { msgnum: number; from: string; subject: string; time: string; text: string; room?: string; to?: string }

export function messageJson(m: MessageView): MessageJson {
  return {
    msgnum: m.msgnum, from: m.address ? `${m.from} <${m.address}>` : m.from, subject: m.subject,
    time: isoTime(m.time), text: m.text,
    ...(m.room ? { room: m.room } : {}), ...(m.recipient ? { to: m.recipient } : {}),
  };
}

export function isoTime(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString();
}

/** "2026-11-25 13:05" in local time, as the Citadel client shows it. */
export function shortTime(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** A message header block and its text, as shown by `keep read` and the interactive reader. */
export function messageText(m: MessageView): string {
  const from = m.address ? `${m.from} <${m.address}>` : m.from;
  const head = [`#${m.msgnum} ${shortTime(m.time)} from ${from}${m.recipient ? ` to ${m.recipient}` : ''}`];
  if (m.subject) head.push(`Subject: ${m.subject}`);
  return `${head.join('\n')}\n\n${m.text}\n`;
}

export function roomsText(rooms: RoomEntry[]): string {
  return rooms.map((r) => `${r.hasNew ? '*' : ' '} ${r.name}`).join('\n') + (rooms.length ? '\n' : '');
}

export function roomsJson(rooms: RoomEntry[]): { name: string; hasNew: boolean; floor: number }[] {
  return rooms.map((r) => ({ name: r.name, hasNew: r.hasNew, floor: r.floor }));
}

/** RWHO as the Citadel client shows it: one line per user, however many sessions (§3.26). */
export function whoText(entries: WhoEntry[], now = Date.now() / 1000): string {
  const latest = new Map<string, WhoEntry>();
  for (const w of entries) {
    const seen = latest.get(w.user);
    if (!seen || w.lastActive > seen.lastActive) latest.set(w.user, w);
  }
  const rows = [...latest.values()].map((w) => {
    const idle = w.lastActive > 0 ? Math.max(0, Math.round((now - w.lastActive) / 60)) : 0;
    return `${w.user.padEnd(20)} ${w.room.padEnd(20)} ${idle > 15 ? `${idle}m idle` : ''}`.trimEnd();
  });
  return [`${'User'.padEnd(20)} Room`, ...rows].join('\n') + '\n';
}

export function whoJson(entries: WhoEntry[]): { user: string; room: string; host: string; client: string; lastActive: string }[] {
  return entries.map((w) => ({ user: w.user, room: w.room, host: w.host, client: w.client, lastActive: isoTime(w.lastActive) }));
}
