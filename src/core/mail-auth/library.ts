// mailauth, loaded on first use: it pulls in a schema validator and a public-suffix list that
// cost most of a second of CPU, which a worker should not spend before it answers its first
// connection. `warm()` starts the load in the background once the worker is up.
type Mailauth = typeof import('mailauth');

let loading: Promise<Mailauth> | undefined;

export function mailauth(): Promise<Mailauth> {
  loading ??= import('mailauth');
  return loading;
}

export function warm(): void {
  setTimeout(() => void mailauth().catch(() => { /* reported on first real use */ }), 1000).unref();
}
