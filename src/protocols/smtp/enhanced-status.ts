// smtp-server adds an enhanced status code (RFC 3463) to every reply, chosen by the reply code
// alone: a 550 from onData always reads 5.1.1 ("no such mailbox"). A policy refusal must say
// 5.7.1 and a DNS trouble 4.7.5, so a reply whose text starts with its own enhanced code of the
// same class is sent as written. Installed once, on the library's connection class.
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';

const OWN_CODE = /^([245])\.\d{1,3}\.\d{1,3} /;
let isInstalled = false;

export function keepOwnEnhancedCodes(): void {
  if (isInstalled) return;
  isInstalled = true;
  const send = SMTPConnection.prototype.send;
  SMTPConnection.prototype.send = function (this: SMTPConnection, code: number, data?: string | string[], context?: string | false) {
    const m = typeof data === 'string' ? OWN_CODE.exec(data) : null;
    return send.call(this, code, data, m && Number(m[1]) === Math.floor(code / 100) ? false : context);
  };
}
