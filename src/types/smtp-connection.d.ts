// smtp-server's per-connection class, used only to let a reply name its own enhanced status code.
declare module 'smtp-server/lib/smtp-connection.js' {
  export class SMTPConnection {
    send(code: number, data?: string | string[], context?: string | false): void;
  }
}
