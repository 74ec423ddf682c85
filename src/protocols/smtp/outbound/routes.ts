// KEEP_SMTP_ROUTES: where mail for a domain goes instead of its MX from DNS.
// Each entry is domain=[user:pass@]host:port; the domain * is the smarthost for all others.

export interface Route {
  host: string;
  port: number;
  auth?: { user: string; pass: string };
}

export type Routes = Map<string, Route>;

/** Parse the configured list; throws with the offending entry named. */
export function parseRoutes(entries: string[]): Routes {
  const routes: Routes = new Map();
  for (const entry of entries) {
    const m = /^([^=\s]+)=(?:([^:@\s]+):([^@\s]*)@)?([^:@\s]+|\[[0-9a-f:.]+\]):(\d{1,5})$/i.exec(entry.trim());
    if (!m) throw new Error(`invalid KEEP_SMTP_ROUTES entry '${entry}': expected domain=[user:pass@]host:port`);
    const port = Number(m[5]);
    if (port < 1 || port > 65535) throw new Error(`invalid port in KEEP_SMTP_ROUTES entry '${entry}'`);
    const route: Route = { host: m[4]!.replace(/^\[|\]$/g, ''), port };
    if (m[2] !== undefined) route.auth = { user: decodeURIComponent(m[2]), pass: decodeURIComponent(m[3] ?? '') };
    routes.set(m[1]!.toLowerCase(), route);
  }
  return routes;
}

/** The route for a recipient domain: its own, else the smarthost (*), else none (use MX). */
export function routeFor(routes: Routes, domain: string): Route | undefined {
  return routes.get(domain.toLowerCase()) ?? routes.get('*');
}
