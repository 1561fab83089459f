// The supervisor dashboard in a real browser against the real programs: a
// private mosquitto, packline-hub (dashboard on a free loopback port, a
// supervisor account, catalogue orders with ship-by deadlines) and three
// packline-stationd packing scripted shifts that plant mistakes among good
// parcels, watched through Debian's chromium. One station is killed with
// SIGKILL half-way (the broker publishes its will); after the shifts the
// dashboard's figures must equal what the hub's database holds.
//
//   PACKLINE_BINARY_DIR=<build dir> node --test tests/browser/dashboard.test.mjs
//
// A screenshot of every step goes to $PACKLINE_ARTEFACTS (default
// <build dir>/test-artefacts/browser/dashboard/). Without chromium,
// playwright-core or mosquitto the tests are skipped and say why
// ("dashboard: SKIP"). PACKLINE_KEEP_TEMP=1 keeps the programs' directories.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { artefactDirectory, binary, browserUnavailable, launchChromium, saveScreenshot } from './lib/index.mjs';
import { Broker, brokerUnavailable } from './lib/broker.mjs';
import { Hub } from './lib/hub.mjs';
import { ShiftStation } from './lib/shift_station.mjs';

const DESK = { width: 1920, height: 1080 };
const TABLET = { width: 1024, height: 768 };
const WAIT_MS = 15000; // an upper bound for the programs and the page to react, not a speed target
const SITE = 'ams1';
const SUPERVISOR = { name: 'sam', display: 'Sam Supervisor', password: 'correct horse battery' };
// A shift plants 30 % mistakes, one of each kind in turn; the eleventh kind
// is a bad phone number a supervisor overrides, so bench-1 packs 40 orders
// to show an override too.
const STATIONS = [
  { id: 'bench-1', packer: 'ana', seed: 1, orders: 40 },
  { id: 'bench-2', packer: 'ben', seed: 2, orders: 20 },
  { id: 'bench-3', packer: 'chen', seed: 3, orders: 20 },
];
const KILLED = 'bench-3';
const HOUR_MS = 3600 * 1000;

const unavailable = (await browserUnavailable()) || brokerUnavailable();
if (unavailable) console.log(`dashboard: SKIP: ${unavailable}`);
for (const program of ['packline-hub', 'packline-stationd']) {
  if (!existsSync(binary(program))) throw new Error(`${binary(program)} is missing: build it, or set PACKLINE_BINARY_DIR`);
}

// The hub and this file agree on the time zone, so that the shift start
// below is what the hub understands: two hours and a bit ago, so that the
// whole test is in the shift and the charts have three hourly buckets.
const ENV = { ...process.env, TZ: 'UTC' };
const SHIFT_START = new Date(Date.now() - 2 * HOUR_MS - 5 * 60 * 1000).toISOString().slice(11, 16);

// Orders the stations never pack (their shifts bring their own), with
// deadlines around now: 2 due, 2 overdue (one by created_at + 24 h), 1
// critical; one due in three days and a cancelled one are not listed.
function catalogue(now) {
  const recipient = (name, city, country) => ({
    name,
    phone: '+31 20 123 4567',
    address: { lines: ['Prinsengracht 263'], city, region: '', postal_code: '1016 GV', country },
  });
  const order = (id, fields) => ({
    id,
    site: SITE,
    created_at: now - HOUR_MS,
    status: 'open',
    recipient: recipient('Anna de Vries', 'Amsterdam', 'NL'),
    carrier: 'ups',
    packaging: 'BOX',
    lines: [{ sku: 'TEE-RED-M', quantity: 1 }],
    ...fields,
  });
  return {
    schema: 'packline.import/1',
    orders: [
      order('WEB-7001', { ship_by: now + 3 * HOUR_MS }),
      order('WEB-7002', { ship_by: now + 20 * HOUR_MS, status: 'on_hold', recipient: recipient('Lena Müller', 'Berlin', 'DE') }),
      order('WEB-7003', { ship_by: now - 2 * HOUR_MS, carrier: 'dhl' }),
      order('WEB-7004', { created_at: now - 30 * HOUR_MS }),
      order('WEB-7005', { ship_by: now - 30 * HOUR_MS, recipient: recipient('王小明', '上海市', 'CN') }),
      order('WEB-7006', { ship_by: now + 72 * HOUR_MS }),
      order('WEB-7007', { ship_by: now - HOUR_MS, status: 'cancelled' }),
    ],
  };
}

const testid = (id) => `[data-testid="${id}"]`;

// Script errors, CSP refusals and failed requests: the pages must have none
// but the 401s of asking "am I signed in?" and of the wrong password.
function watchPage(page, problems) {
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (/status of 401/.test(message.text())) return;
    problems.push(`console error: ${message.text()}`);
  });
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (response.status() === 401 && ['/api/me', '/api/login', '/events'].includes(url.pathname)) return;
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${response.url()}`);
  });
}

async function waitFor(page, what, predicate, argument) {
  try {
    await page.waitForFunction(predicate, argument, { timeout: WAIT_MS });
  } catch (error) {
    throw new Error(`${what}: not within ${WAIT_MS} ms (${error.message.split('\n')[0]})`);
  }
}

// A number the page shows (its data-value), or null.
function shownNumber(page, id) {
  return page.evaluate((selector) => {
    const node = document.querySelector(selector);
    return node && node.dataset.value !== '' && node.dataset.value !== undefined ? Number(node.dataset.value) : null;
  }, testid(id));
}

async function layoutProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) problems.push(`scrolls sideways: ${root.scrollWidth} > ${root.clientWidth} px`);
    for (const node of document.querySelectorAll('[data-testid^="station-"], .panel, .total')) {
      const box = node.getBoundingClientRect();
      if (box.width > 0 && (box.left < -0.5 || box.right > root.clientWidth + 0.5)) problems.push(`${node.dataset.testid || node.className} sticks out sideways`);
    }
    return problems;
  });
}

describe('supervisor dashboard', { skip: unavailable || false }, () => {
  const directory = artefactDirectory('dashboard');
  // Every program's directory (configuration, databases) under one root.
  let root = null;
  const context = { broker: null, hub: null, stations: [], browser: null, page: null, problems: [] };
  let failed = null;
  let steps = 0;

  before(async () => {
    root = mkdtempSync(`${os.tmpdir()}/packline-dashboard-test-`);
    context.broker = await Broker.start({ parent: root });
    context.hub = new Hub({ broker: context.broker, sites: [SITE], shiftStarts: [SHIFT_START], env: ENV, parent: root });
    await context.hub.addUser(SUPERVISOR.name, SUPERVISOR.password, SUPERVISOR.display);
    await context.hub.importFile(context.hub.writeFile('orders.json', JSON.stringify(catalogue(Date.now()), null, 1)));
    await context.hub.start();
    context.browser = await launchChromium();
    context.page = await context.browser.newPage({ viewport: DESK });
    watchPage(context.page, context.problems);
  });

  after(async () => {
    // Everything stops even when a step failed: the browser first (it would
    // keep reconnecting), then the stations, the hub and the broker.
    if (context.browser) await context.browser.close().catch(() => {});
    for (const station of context.stations) await station.stop().catch(() => {});
    if (context.hub) await context.hub.stop().catch(() => {});
    if (context.broker) await context.broker.stop().catch(() => {});
    if (!root) return;
    if (failed || process.env.PACKLINE_KEEP_TEMP) console.log(`dashboard: kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  });

  const step = (title, body, { timeout = 60000 } = {}) => {
    steps += 1;
    const label = `${String(steps).padStart(2, '0')}-${title.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase()}`;
    it(title, { timeout }, async (t) => {
      if (failed) {
        t.skip(`an earlier step failed: ${failed}`);
        return;
      }
      try {
        // shot(name): a screenshot in the middle of the step.
        const shot = (name) => saveScreenshot(context.page, directory, `${label}-${name}`);
        await body(context, shot);
        await saveScreenshot(context.page, directory, label);
      } catch (error) {
        failed = title;
        if (context.page) await saveScreenshot(context.page, directory, `${label}-FAILED`).catch(() => {});
        error.message += `\n--- packline-hub ---\n${context.hub ? context.hub.output().slice(-3000) : ''}`;
        for (const station of context.stations) error.message += `\n--- ${station.id} ---\n${station.output().slice(-1500)}`;
        throw error;
      }
    });
  };

  step('the dashboard sends a stranger to the sign-in page, which refuses a wrong password', async ({ hub, page }) => {
    await page.goto(hub.url);
    await page.waitForURL(/\/login\.html/, { timeout: WAIT_MS });
    await page.locator(testid('login-username')).fill(SUPERVISOR.name);
    await page.locator(testid('login-password')).fill('not the password');
    await page.locator(testid('login-submit')).click();
    await page.locator(testid('login-error')).waitFor({ state: 'visible', timeout: WAIT_MS });
    assert.match(await page.locator(testid('login-error')).innerText(), /wrong user name or password/i);
    assert.match(page.url(), /\/login\.html/);
  });

  step('the right password opens the live dashboard', async ({ hub, page }) => {
    await page.locator(testid('login-password')).fill(SUPERVISOR.password);
    await page.locator(testid('login-submit')).click();
    await page.waitForURL(hub.url, { timeout: WAIT_MS });
    await waitFor(page, 'live indicator says live', (selector) => document.querySelector(selector)?.dataset.state === 'live', testid('live-indicator'));
    assert.match(await page.locator(testid('who')).innerText(), new RegExp(SUPERVISOR.display));
    // The orders imported with deadlines, in their buckets.
    assert.equal(await shownNumber(page, 'shipby-due'), 2);
    assert.equal(await shownNumber(page, 'shipby-overdue'), 2);
    assert.equal(await shownNumber(page, 'shipby-critical'), 1);
    const listed = await page.locator(testid('shipby-order')).evaluateAll((rows) => rows.map((row) => row.dataset.orderId));
    assert.deepEqual(listed, ['WEB-7005', 'WEB-7004', 'WEB-7003', 'WEB-7001', 'WEB-7002'], 'most urgent first');
  });

  step('three packing stations appear online', async (context) => {
    const { broker, page } = context;
    for (const { id, packer, seed, orders } of STATIONS) {
      context.stations.push(new ShiftStation({ id, site: SITE, packer, broker, orders, seed, paceMs: 150, env: ENV, parent: root }));
    }
    await Promise.all(context.stations.map((station) => station.start()));
    for (const { id, packer } of STATIONS) {
      await waitFor(page, `${id} online`, (selector) => document.querySelector(selector)?.dataset.online === 'true', testid(`station-${id}`));
      await waitFor(page, `${id} shows packer ${packer}`, ([selector, name]) => document.querySelector(selector)?.textContent.includes(name), [testid(`station-packer-${id}`), packer]);
    }
    assert.equal(await shownNumber(page, 'total-online'), 3);
    for (const { id } of STATIONS) {
      const stateName = await page.locator(testid(`station-state-${id}`)).innerText();
      assert.doesNotMatch(stateName, /offline/i, `${id} state`);
      assert.ok(await page.locator(testid(`station-backlog-${id}`)).count(), `${id} shows its outbox backlog`);
      assert.ok(await page.locator(testid(`station-exceptions-${id}`)).count(), `${id} shows its exceptions by check`);
      // The shift's simulated scanner, scale and printer report as present
      // (a status or two after the first); it has no camera.
      await waitFor(page, `${id} lists its devices`, (selector) => document.querySelector(selector) !== null, `${testid(`station-devices-${id}`)} [data-kind="scanner"]`);
      const devices = await page.locator(`${testid(`station-devices-${id}`)} [data-kind]`).evaluateAll((chips) =>
        Object.fromEntries(chips.map((chip) => [chip.dataset.kind, chip.dataset.health])),
      );
      assert.deepEqual(devices, { scanner: 'present', scale: 'present', 'label-printer': 'present', camera: 'none' }, `${id} devices`);
    }
  });

  step('the planted mistakes appear in the exceptions list', async ({ page }) => {
    await waitFor(page, 'an exception row', (selector) => document.querySelectorAll(selector).length >= 2, testid('exception-row'));
    const rows = await page.locator(testid('exception-row')).evaluateAll((nodes) =>
      nodes.map((node) => ({ kind: node.dataset.kind, station: node.dataset.station, reason: node.dataset.reason, text: node.textContent })),
    );
    const ids = STATIONS.map((station) => station.id);
    for (const row of rows) {
      assert.ok(ids.includes(row.station), `a row of an unknown station: ${JSON.stringify(row)}`);
      if (row.kind === 'exception') assert.match(row.reason, /^(customer|contents|express|weight)\./, JSON.stringify(row));
    }
    assert.ok(rows.some((row) => row.kind === 'exception'), 'at least one exception');
    assert.ok((await shownNumber(page, 'total-exceptions')) >= 1);
  });

  step('a 1024x768 tablet shows it without sideways scrolling', async ({ page }) => {
    await page.setViewportSize(TABLET);
    await page.waitForTimeout(300);
    assert.deepEqual(await layoutProblems(page), []);
  });

  step(`${KILLED} killed with SIGKILL shows offline`, async ({ page, stations }) => {
    await page.setViewportSize(DESK);
    const killed = stations.find((station) => station.id === KILLED);
    // Half-way: it has shipped something the hub stored, and is still packing.
    await waitFor(page, `${KILLED} shipped a parcel`, (selector) => Number(document.querySelector(selector)?.dataset.value || 0) >= 2, testid(`station-shipments-${KILLED}`));
    assert.ok(killed.running(), `${KILLED} ended before it could be killed:\n${killed.output().slice(-2000)}`);
    await killed.kill();
    await waitFor(page, `${KILLED} offline`, (selector) => document.querySelector(selector)?.dataset.online === 'false', testid(`station-${KILLED}`));
    assert.match(await page.locator(testid(`station-state-${KILLED}`)).innerText(), /offline/i);
    assert.match(await page.locator(testid(`station-offline-${KILLED}`)).innerText(), /connection lost/i);
    // Problems first: the lost station leads the grid.
    const first = await page.locator('[data-testid="stations"] > *').first().getAttribute('data-testid');
    assert.equal(first, `station-${KILLED}`);
    assert.ok((await shownNumber(page, 'total-offline')) >= 1);
  });

  step('after the shifts the dashboard counts what the hub stored', async ({ hub, page, stations }) => {
    for (const station of stations.filter((station) => station.id !== KILLED)) {
      const code = await station.finished({ timeoutMs: 60000 });
      // 0: as planned; 1: the scripted packer gave up a step on a loaded
      // machine (the shift's business, tested by shift_test); 3 would be
      // "the hub did not acknowledge everything".
      assert.ok(code === 0 || code === 1, `${station.id} ended with ${code}:\n${station.output().slice(-2000)}`);
    }
    // What the page shows and what the database holds, compared until they
    // agree (the killed station's last messages may still be on their way).
    let database = null;
    let shown = null;
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      database = await hub.shipmentsByStation();
      await page.waitForTimeout(600); // the hub's poller (250 ms) and the stream
      shown = { total: await shownNumber(page, 'total-shipments') };
      for (const { id } of STATIONS) shown[id] = await shownNumber(page, `station-shipments-${id}`);
      const expectedTotal = Object.values(database).reduce((sum, value) => sum + value, 0);
      const agree = shown.total === expectedTotal && STATIONS.every(({ id }) => shown[id] === (database[id] || 0));
      if (agree || Date.now() > deadline) break;
    }
    const expectedTotal = Object.values(database).reduce((sum, value) => sum + value, 0);
    assert.equal(shown.total, expectedTotal, `total shipments: page ${JSON.stringify(shown)}, database ${JSON.stringify(database)}`);
    for (const { id } of STATIONS) {
      assert.ok((database[id] || 0) > 0, `${id} shipped nothing`);
      assert.equal(shown[id], database[id], `${id}: page ${JSON.stringify(shown)}, database ${JSON.stringify(database)}`);
    }
    // The supervisor's override is listed with who and why.
    const overrides = await page.locator(`${testid('exception-row')}[data-kind="override"]`).evaluateAll((rows) =>
      rows.map((row) => ({ station: row.dataset.station, line: row.querySelector('[data-testid="override-line"]')?.textContent || '' })),
    );
    assert.ok(overrides.length >= 1, 'no override listed');
    assert.match(overrides[0].line, /^Overridden by \S+: \S/, JSON.stringify(overrides));
    assert.ok((await shownNumber(page, 'total-overrides')) >= 1);
    await page.locator(`${testid('exception-row')}[data-kind="override"]`).first().scrollIntoViewIfNeeded();
    // The chart adds up to the same.
    const charted = await page.locator(testid('chart-stations')).getAttribute('data-total');
    assert.equal(Number(charted), expectedTotal);
    // Stations that ended their shift said so (offline, shut down); none is
    // online. A station's last status may reach the page after its last
    // shipment: wait for it rather than read it once.
    await waitFor(page, 'every station offline', (selector) => Number(document.querySelector(selector)?.dataset.value) === 0, testid('total-online'));
    assert.equal(await shownNumber(page, 'total-online'), 0);
    for (const { id } of STATIONS) assert.equal(await page.locator(testid(`station-${id}`)).getAttribute('data-online'), 'false');
  });

  step('the desk screen fits without sideways scrolling', async ({ page }) => {
    await page.setViewportSize(DESK);
    await page.waitForTimeout(300);
    assert.deepEqual(await layoutProblems(page), []);
  });

  step('the hub restarts: the page says reconnecting, then live again', async ({ hub, page }, shot) => {
    const liveState = () => page.locator(testid('live-indicator')).getAttribute('data-state');
    assert.equal(await liveState(), 'live');
    await hub.stop();
    await waitFor(page, 'the indicator leaves live', (selector) => document.querySelector(selector)?.dataset.state !== 'live', testid('live-indicator'));
    assert.match(await page.locator(testid('live-indicator')).innerText(), /reconnecting/i);
    await shot('hub-stopped');
    await hub.restart();
    await waitFor(page, 'live again', (selector) => document.querySelector(selector)?.dataset.state === 'live', testid('live-indicator'));
    assert.equal(await shownNumber(page, 'total-shipments'), Object.values(await hub.shipmentsByStation()).reduce((sum, value) => sum + value, 0));
  });

  step('sign out goes back to the sign-in page and ends the session', async ({ hub, page, problems }) => {
    const session = (await page.context().cookies()).find((cookie) => cookie.name === 'packline_session');
    assert.ok(session, 'no session cookie');
    assert.equal(session.httpOnly, true, 'the session cookie must be HttpOnly');
    await page.locator(testid('sign-out')).click();
    await page.waitForURL(/\/login\.html/, { timeout: WAIT_MS });
    await page.locator(testid('login-username')).waitFor({ state: 'visible', timeout: WAIT_MS });
    // The session is gone at the hub too, not only the cookie in the browser.
    const replay = await page.request.get(`${hub.url}api/me`, { headers: { Cookie: `packline_session=${session.value}` } });
    assert.equal(replay.status(), 401, 'the signed-out session still works');
    await page.goto(hub.url);
    await page.waitForURL(/\/login\.html/, { timeout: WAIT_MS });
    assert.deepEqual(problems, [], 'the pages had script errors, CSP refusals or failed requests');
  });
});
