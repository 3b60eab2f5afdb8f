// First paint of an HTML page in headless Chromium, from the Performance
// API's `first-contentful-paint` entry, read over the DevTools protocol; and
// the time the page's script takes to draw one closed user section of a
// `casim report` page when it is opened. Prints one line per run:
//   fcp_ms=… load_ms=… open_ms=… wall_ms=…
// Usage: node --experimental-websocket bench/first-paint.mjs PAGE.html [RUNS]
// (Node 20 needs the flag for its WebSocket; bench/report-size.sh runs it.)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CHROMIUM = '/usr/bin/chromium';
// The flags of tests/integration/html_report.rs (as root, in a closed network).
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars',
  '--window-size=1400,1500'];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function once(page) {
  const profile = mkdtempSync(join(tmpdir(), 'casim-paint-'));
  const chrome = spawn(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, '--remote-debugging-port=0', 'about:blank'],
    { stdio: ['ignore', 'ignore', 'ignore'] });
  try {
    const portFile = join(profile, 'DevToolsActivePort');
    for (let i = 0; i < 400 && !existsSync(portFile); i++) await sleep(50);
    const port = readFileSync(portFile, 'utf8').split('\n')[0];
    const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
    const ws = new WebSocket(targets.find((t) => t.type === 'page').webSocketDebuggerUrl);
    await new Promise((r, e) => { ws.onopen = r; ws.onerror = e; });
    let id = 0;
    const pending = new Map();
    ws.onmessage = (m) => {
      const msg = JSON.parse(m.data);
      if (msg.id && pending.has(msg.id)) { pending.get(msg.id)(msg); pending.delete(msg.id); }
    };
    const send = (method, params = {}) => new Promise((r) => {
      const i = ++id; pending.set(i, r); ws.send(JSON.stringify({ id: i, method, params }));
    });
    const evaluate = async (expression) =>
      (await send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })).result?.result?.value;
    const url = 'file://' + page;
    const start = Date.now();
    await send('Page.navigate', { url });
    let fcp, load;
    for (let i = 0; i < 2400; i++) {
      const v = await evaluate(`JSON.stringify([location.href,
        (performance.getEntriesByName('first-contentful-paint')[0]||{}).startTime,
        (performance.getEntriesByType('navigation')[0]||{}).loadEventEnd])`);
      const [href, f, l] = v ? JSON.parse(v) : [];
      if (href === url && f !== undefined && l) { fcp = f; load = l; break; }
      await sleep(25);
    }
    const wall = Date.now() - start;
    // Open the first closed user section and wait for its drawing (the page draws on `toggle`).
    const open = await evaluate(`new Promise(function(done){
      var d=document.querySelector('details.user:not([open])');if(!d){done(-1);return;}
      var t=performance.now();d.addEventListener('toggle',function(){done(performance.now()-t);},{once:true});d.open=true;})`);
    ws.close();
    return { fcp, load, open, wall };
  } finally {
    // Chromium writes its profile until it exits: wait for it before removing the profile.
    const exited = new Promise((r) => chrome.once('exit', r));
    chrome.kill();
    await Promise.race([exited, sleep(10000)]);
    rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
}

const page = resolve(process.argv[2] ?? '');
const runs = Number(process.argv[3] ?? 3);
if (!process.argv[2] || !existsSync(page)) {
  console.error('usage: node --experimental-websocket bench/first-paint.mjs PAGE.html [RUNS]');
  process.exit(2);
}
for (let i = 0; i < runs; i++) {
  const r = await once(page);
  const ms = (v) => (v === undefined ? 'none' : v < 0 ? 'no-closed-section' : Math.round(v));
  console.log(`fcp_ms=${ms(r.fcp)} load_ms=${ms(r.load)} open_ms=${ms(r.open)} wall_ms=${r.wall}`);
}
