// Small HTTP helpers for the JSON API: read a bounded JSON body, answer JSON or an error.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ChatError, httpStatusOf, type ErrorReply } from './errors.ts';

/** Largest JSON request body the API reads. */
export const MAX_BODY = 16 * 1024;

/** Read a JSON object body; refuses a wrong content type, an oversized or malformed body. */
export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  // requiring application/json keeps plain cross-site form posts out (they cannot set it)
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
    throw new ChatError('invalid', 'Send the body as application/json.');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ChatError('too-big', `Request body over ${MAX_BODY} bytes.`);
    chunks.push(chunk as Buffer);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ChatError('invalid', 'Malformed JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ChatError('invalid', 'The body must be a JSON object.');
  return body as Record<string, unknown>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

export function sendError(res: ServerResponse, e: ErrorReply, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  sendJson(res, httpStatusOf(e.code), { error: e }, headers);
}
