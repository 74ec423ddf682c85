// End to end in headless Chromium: two browser users log in and chat, a native client in room
// chat mode (RCHT) shares the conversation both ways, a page crosses between browsers, and a
// screenshot of the chat page is written (issue 7). Skips loudly when Chromium is missing.
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NativeClient } from '../../helpers/native-client.ts';
import { startKeep, type Keep } from '../../helpers/start-keep.ts';

const CHROMIUM = process.env.KEEP_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  process.stderr.write(`\n!! SKIPPING the browser end-to-end test: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set KEEP_CHROMIUM)\n\n`);
}

let keep: Keep;
let browser: Browser;
let erin: NativeClient;
const shots = mkdtempSync(join(tmpdir(), 'keep-web-shots-'));

async function logIn(user: string, viewport = { width: 1100, height: 720 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.on('pageerror', (err) => process.stderr.write(`[${user} page error] ${err.message}\n`));
  await page.goto(`http://127.0.0.1:${keep.ports.http}/`);
  await page.fill('#login-user', user);
  await page.fill('#login-password', `${user}-pw`);
  await page.press('#login-password', 'Enter');
  await page.waitForSelector('#conn-status.ok', { timeout: 10_000 });
  await page.waitForFunction(() => document.querySelector('#room-title')?.textContent === 'Lobby', undefined, { timeout: 10_000 });
  await page.waitForSelector('#say:not([disabled])');
  return page;
}

async function say(page: Page, text: string): Promise<void> {
  await page.fill('#say', text);
  await page.press('#say', 'Enter');
}

const lineIn = (page: Page, text: string) => page.locator('#messages .msg .text', { hasText: text }).waitFor({ timeout: 10_000 });

describe.skipIf(!hasChromium)('web client in Chromium', () => {
  beforeAll(async () => {
    keep = await startKeep();
    const made = await Promise.all(['alice', 'bob', 'erin'].map((u) => keep.cli(['user', 'add', u, '--password', `${u}-pw`])));
    for (const r of made) expect(r.code, r.stderr).toBe(0);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    erin = await NativeClient.connect(keep.ports.native);
    await erin.login('erin', 'erin-pw');
    expect((await erin.cmd('GOTO Lobby')).code).toBe(200);
    expect((await erin.cmd('RCHT enter')).code).toBe(200);
  });
  afterAll(async () => {
    erin?.close();
    await browser?.close();
    await keep?.stop();
  });

  it('lets two browser users and a native chatter share one conversation', async () => {
    const alice = await logIn('alice');
    const bob = await logIn('bob');

    await say(alice, 'hello from alice');
    await lineIn(bob, 'hello from alice');
    await say(bob, 'hi alice, bob here');
    await lineIn(alice, 'hi alice, bob here');

    // the native chatter polls both lines, in order, from where it entered chat mode
    const first = await erin.cmd('RCHT poll|0');
    expect(first.lines).toEqual(['hello from alice']);
    const seq = Number(first.text.split('|')[0]);
    const second = await erin.cmd(`RCHT poll|${seq}`);
    expect(second.lines).toEqual(['hi alice, bob here']);

    // and its own line appears in both pages
    expect((await erin.cmd('RCHT send')).code).toBe(400);
    erin.sendListing(['greetings from the terminal']);
    await lineIn(alice, 'greetings from the terminal');
    await lineIn(bob, 'greetings from the terminal');
    expect(await alice.locator('#messages .msg', { hasText: 'greetings from the terminal' }).locator('.from').textContent()).toBe('erin');

    // who is online shows the native user too
    await alice.locator('#who-list li', { hasText: 'erin' }).waitFor();

    // bob pages alice from the who list; alice gets a notification
    await bob.locator('#who-list li', { hasText: 'alice' }).getByRole('button', { name: 'Page alice' }).click();
    await bob.fill('#page-text', 'coffee?');
    await bob.press('#page-text', 'Enter');
    await alice.locator('.toast', { hasText: 'Page from bob' }).waitFor({ timeout: 10_000 });

    const shot = join(shots, 'chat-alice.png');
    await alice.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(5_000);
    process.stderr.write(`screenshot: ${shot}\n`);
  });

  it('reconnects after a dropped WebSocket and shows the lines it missed exactly once', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 720 } });
    // record the page's WebSockets so the test can drop one as a network failure would
    await context.addInitScript(() => {
      const Native = window.WebSocket;
      const sockets: WebSocket[] = [];
      (window as unknown as { keepSockets: WebSocket[] }).keepSockets = sockets;
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          sockets.push(this);
        }
      };
    });
    const alice = await context.newPage();
    await alice.goto(`http://127.0.0.1:${keep.ports.http}/`);
    await alice.fill('#login-user', 'alice');
    await alice.fill('#login-password', 'alice-pw');
    await alice.press('#login-password', 'Enter');
    await alice.waitForSelector('#conn-status.ok');
    await alice.waitForFunction(() => document.querySelector('#room-title')?.textContent === 'Lobby');
    const bob = await logIn('bob');
    await say(bob, 'before the drop');
    await lineIn(alice, 'before the drop');

    await alice.evaluate(() => (window as unknown as { keepSockets: WebSocket[] }).keepSockets.at(-1)!.close());
    await alice.waitForSelector('#conn-status.down');
    await say(bob, 'while you were away 1');
    await say(bob, 'while you were away 2');
    await alice.waitForSelector('#conn-status.ok', { timeout: 15_000 });
    await lineIn(alice, 'while you were away 2');
    await say(bob, 'after the return');
    await lineIn(alice, 'after the return');
    const texts = await alice.locator('#messages .msg .text').allTextContents();
    for (const t of ['before the drop', 'while you were away 1', 'while you were away 2', 'after the return']) {
      expect(texts.filter((x) => x === t)).toHaveLength(1);
    }
    expect(texts.indexOf('while you were away 1')).toBeLessThan(texts.indexOf('after the return'));
    await context.close();
  });

  it('fits a phone-width screen, with the room list in a drawer', async () => {
    const phone = await logIn('bob', { width: 390, height: 760 });
    expect(await phone.locator('#sidebar').boundingBox().then((b) => (b ? b.x + b.width : 0))).toBeLessThanOrEqual(0);
    await phone.click('#menu-toggle');
    await phone.waitForFunction(() => (document.querySelector('#sidebar')?.getBoundingClientRect().left ?? -1) >= 0);
    const scrollWidth = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(390);
    const shot = join(shots, 'chat-phone.png');
    await phone.screenshot({ path: shot });
    expect(statSync(shot).size).toBeGreaterThan(2_000);
  });
});
