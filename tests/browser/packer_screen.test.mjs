// The packer screen in a real browser against the real daemon: a scripted
// packer shift at a bench (orders imported with `packline orders import`,
// barcodes typed on packline-stationd's standard input, the simulated scale
// driven with "weight"), watched and touched through Debian's chromium.
//
//   PACKLINE_BINARY_DIR=<build dir> node --test tests/browser/packer_screen.test.mjs
//
// A screenshot of every step goes to $PACKLINE_ARTEFACTS (default
// <build dir>/test-artefacts/browser/packer-screen/). Without chromium or
// playwright-core the tests are skipped and say why ("packer_screen: SKIP").
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  artefactDirectory,
  binary,
  browserUnavailable,
  launchChromium,
  repositoryRoot,
  saveScreenshot,
  Station,
} from './lib/index.mjs';

const ORDERS = path.join(repositoryRoot, 'tests', 'fixtures', 'import', 'screen-orders.json');
const WIDE = { width: 1280, height: 800 }; // the bench monitor
const TEN_INCH = { width: 1024, height: 600 }; // a 10-inch touch screen
const WAIT_MS = 15000; // an upper bound for the station and the page to react, not a speed target

const unavailable = await browserUnavailable();
if (unavailable) console.log(`packer_screen: SKIP: ${unavailable}`);
for (const program of ['packline', 'packline-stationd']) {
  if (!existsSync(binary(program))) throw new Error(`${binary(program)} is missing: build it, or set PACKLINE_BINARY_DIR`);
}

function stationConfig({ language = 'en', signInRequired = false, idleLock = 'idle_lock_minutes = 0' } = {}) {
  return [
    '[screen]',
    'listen = "127.0.0.1:0"',
    `language = "${language}"`,
    '[packers]',
    `sign_in_required = ${signInRequired}`,
    idleLock,
    '',
  ].join('\n');
}

const testid = (id) => `[data-testid="${id}"]`;

// A bench for one describe(): the daemon, the browser and the page. Every
// step leaves a numbered screenshot; after the first failed step the rest
// are skipped (they would only fail for the same reason).
function bench(name, { config, viewport = WIDE }) {
  const context = { station: null, browser: null, page: null, problems: [], directory: null };
  let failed = null;
  let steps = 0;

  before(async () => {
    context.directory = artefactDirectory(path.join('packer-screen', name), { clean: true });
    context.station = await Station.start({ config, orders: [ORDERS], name });
    context.browser = await launchChromium();
    // Reduced motion: screenshots show the settled screen, not an animation.
    context.page = await context.browser.newPage({ viewport, reducedMotion: 'reduce' });
    watchPage(context.page, context.problems);
    await context.page.goto(context.station.url);
    await context.page.waitForSelector(testid('loading'), { state: 'hidden', timeout: WAIT_MS });
  });

  after(async () => {
    // Stopped even when a step failed; the browser first, so that it does
    // not keep reconnecting to a stopping daemon.
    if (context.browser) await context.browser.close().catch(() => {});
    if (context.station) {
      await context.station.stop();
      if (!failed && !process.env.PACKLINE_KEEP_TEMP) context.station.remove();
      else console.log(`packer_screen: ${name}: daemon directory kept: ${context.station.directory}`);
    }
  });

  const step = (title, body) => {
    steps += 1;
    const label = `${String(steps).padStart(2, '0')}-${title.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase()}`;
    it(title, async (t) => {
      if (failed) {
        t.skip(`an earlier step failed: ${failed}`);
        return;
      }
      try {
        await body(context);
        await saveScreenshot(context.page, context.directory, label);
      } catch (error) {
        failed = title;
        if (context.page) await saveScreenshot(context.page, context.directory, `${label}-FAILED`).catch(() => {});
        if (context.station) error.message += `\n--- packline-stationd ---\n${context.station.output().slice(-4000)}`;
        throw error;
      }
    });
  };
  return { context, step };
}

// Script errors, CSP refusals and failed requests: the page must have none.
function watchPage(page, problems) {
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${response.url()}`);
  });
}

// What the verdict banner shows.
function banner(page) {
  return page.evaluate(() => {
    const node = document.querySelector('[data-testid="verdict"]');
    const text = (id) => document.querySelector(`[data-testid="${id}"]`).textContent.trim();
    return {
      id: Number(node.dataset.verdictId || 0),
      code: node.dataset.code,
      kind: node.dataset.kind,
      word: text('verdict-word'),
      title: text('verdict-title'),
      action: text('verdict-action'),
    };
  });
}

// Waits until the banner shows a verdict `code` newer than verdict id `after`.
async function waitForVerdict(page, code, { after = 0 } = {}) {
  try {
    await page.waitForFunction(
      ([wanted, newer]) => {
        const node = document.querySelector('[data-testid="verdict"]');
        return node.dataset.code === wanted && Number(node.dataset.verdictId || 0) > newer;
      },
      [code, after],
      { timeout: WAIT_MS },
    );
  } catch (error) {
    const shown = await banner(page).catch(() => ({}));
    throw new Error(`the screen did not show verdict ${code} (after #${after}); it shows ${JSON.stringify(shown)}`);
  }
  return banner(page);
}

function text(page, id) {
  return page.locator(testid(id)).innerText();
}

function attribute(page, id, name) {
  return page.locator(testid(id)).getAttribute(name);
}

async function waitForAttribute(page, id, name, value) {
  await page.waitForFunction(
    ([selector, attributeName, wanted]) => document.querySelector(selector)?.getAttribute(attributeName) === wanted,
    [testid(id), name, value],
    { timeout: WAIT_MS },
  ).catch(async () => {
    throw new Error(`${id} ${name} is ${await attribute(page, id, name)}, expected ${value}`);
  });
}

async function waitForText(page, id, pattern) {
  await page.waitForFunction(
    ([selector, source, flags]) => new RegExp(source, flags).test(document.querySelector(selector)?.textContent || ''),
    [testid(id), pattern.source, pattern.flags],
    { timeout: WAIT_MS },
  ).catch(async () => {
    throw new Error(`${id} says "${await text(page, id)}", expected ${pattern}`);
  });
}

function sounds(page) {
  return page.evaluate(() => window.packline.sounds);
}

async function assertSound(page, sound, verdictId) {
  const played = await sounds(page);
  assert.ok(
    played.some((entry) => entry.sound === sound && entry.verdict_id === verdictId),
    `no "${sound}" sound for verdict #${verdictId}; played: ${JSON.stringify(played)}`,
  );
}

// Layout rules of the bench: no sideways scrolling, every touch target at
// least 56 px and on the screen.
async function layoutProblems(page) {
  return page.evaluate(() => {
    const problems = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth) problems.push(`scrolls sideways: ${root.scrollWidth} > ${root.clientWidth} px`);
    for (const node of document.querySelectorAll('button, input')) {
      const box = node.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue; // not shown
      const name = node.dataset.testid || node.id || node.className;
      if (box.height < 56 || (node.tagName === 'BUTTON' && box.width < 56)) {
        problems.push(`${name}: ${Math.round(box.width)} x ${Math.round(box.height)} px, under 56 px`);
      }
      if (box.left < 0 || box.top < 0 || box.right > innerWidth + 0.5 || box.bottom > innerHeight + 0.5) {
        problems.push(`${name}: off the screen`);
      }
    }
    return problems;
  });
}

async function onTenInchScreen(context, label) {
  const { page } = context;
  await page.setViewportSize(TEN_INCH);
  try {
    await page.waitForTimeout(100); // one layout pass
    await saveScreenshot(page, context.directory, label);
    assert.deepEqual(await layoutProblems(page), [], `layout at ${TEN_INCH.width}x${TEN_INCH.height}`);
  } finally {
    await page.setViewportSize(WIDE);
  }
}

describe('packer screen: a shift at an English station', { skip: unavailable || false }, () => {
  const { context, step } = bench('en', { config: stationConfig() });
  const SCR1_TRACKING = '1Z5R89390357567127';
  let last = 0; // the newest verdict id seen

  step('idle: waiting for an order, sound off until tapped', async ({ page }) => {
    await waitForAttribute(page, 'connection', 'data-state', 'connected');
    assert.match(await text(page, 'connection'), /Connected/);
    const shown = await banner(page);
    assert.equal(shown.kind, 'none');
    assert.match(shown.title, /Scan an order/);
    for (const check of ['customer', 'contents', 'express']) {
      assert.equal(await attribute(page, `check-${check}`, 'data-state'), 'idle');
    }
    assert.equal(await text(page, 'station-name'), 'station-1');
    // The simulated bench reports its devices; each kind gets a chip.
    const view = await page.evaluate(() => window.packline.view);
    for (const device of view.devices) {
      if (device.kind === 'indicator' && device.health === 'present') continue;
      assert.equal(await attribute(page, `device-${device.kind}`, 'data-health'), device.health);
    }
    assert.deepEqual(await layoutProblems(page), []);
    // Headless chromium starts audio suspended, like a kiosk without
    // --autoplay-policy: the page offers a button.
    await page.locator(testid('sound-enable')).click();
    await page.waitForSelector(testid('sound-enable'), { state: 'hidden', timeout: WAIT_MS });
  });

  step('order scanned: recipient shown, customer check passed', async ({ page, station }) => {
    station.scan('SCR-1');
    const shown = await waitForVerdict(page, 'parcel.started', { after: last });
    last = shown.id;
    assert.equal(shown.kind, 'accepted');
    assert.equal(shown.title, 'Order SCR-1: Jane Doe');
    assert.equal(await text(page, 'recipient-name'), 'Jane Doe');
    assert.equal(await text(page, 'recipient-phone'), '+1 415-555-0132');
    assert.match(await text(page, 'recipient-address'), /1 Market St.*San Francisco/);
    assert.equal(await text(page, 'order-id'), 'SCR-1');
    assert.equal(await attribute(page, 'check-customer', 'data-state'), 'passed');
    assert.equal(await attribute(page, 'line-TEE-RED-M', 'data-scanned'), '0');
    await assertSound(page, 'good', shown.id);
  });

  step('item scanned: the line counts 1/1, good sound', async ({ page, station }) => {
    station.scan('0012345678905');
    const shown = await waitForVerdict(page, 'contents.complete', { after: last });
    last = shown.id;
    assert.equal(await attribute(page, 'line-TEE-RED-M', 'data-scanned'), '1');
    assert.equal(await attribute(page, 'line-TEE-RED-M', 'data-required'), '1');
    assert.equal(await attribute(page, 'line-TEE-RED-M', 'data-complete'), 'true');
    assert.equal(await text(page, 'line-TEE-RED-M-count'), '1/1');
    assert.equal(shown.action, 'Put the parcel on the scale.');
    await assertSound(page, 'good', shown.id);
    // Contents complete: the expected weight and its band are known.
    await waitForText(page, 'weight-band', /Expected 300 g ± 20 g \(280–320 g\)/);
  });

  step('wrong variant: STOP with the reason and what to do, wrong sound', async ({ page, station }) => {
    station.scan('036000291452'); // Red Tee L: same style, another size
    const shown = await waitForVerdict(page, 'contents.wrong_variant', { after: last });
    last = shown.id;
    assert.equal(shown.kind, 'exception');
    assert.equal(shown.word, 'STOP');
    assert.equal(shown.title, 'Wrong item: TEE-RED-L');
    assert.match(shown.action, /wants TEE-RED-M.*RETRY/);
    assert.equal(await attribute(page, 'check-contents', 'data-state'), 'failed');
    assert.match(await text(page, 'contents-problem'), /Wrong item: TEE-RED-L/);
    assert.ok(await page.locator(testid('cmd-retry')).isEnabled(), 'RETRY is offered');
    assert.ok(await page.evaluate(() => document.body.classList.contains('frame-fail')), 'red frame round the screen');
    await assertSound(page, 'wrong', shown.id);
  });

  step('RETRY on the screen: back to the scale', async ({ page }) => {
    await page.locator(testid('cmd-retry')).click();
    const shown = await waitForVerdict(page, 'parcel.retry', { after: last });
    last = shown.id;
    assert.equal(shown.action, 'Put the parcel on the scale.');
    assert.equal(await attribute(page, 'check-contents', 'data-state'), 'pending');
  });

  step('weight off: too heavy, drawn outside the expected band', async (context_) => {
    const { page, station } = context_;
    station.weigh(900);
    const shown = await waitForVerdict(page, 'weight.too_heavy', { after: last });
    last = shown.id;
    assert.equal(shown.title, 'Too heavy: 900 g');
    assert.match(shown.action, /Expected 300 g ± 20 g.*RETRY/);
    await waitForText(page, 'scale-reading', /^900 g$/);
    await waitForAttribute(page, 'weight', 'data-state', 'out');
    assert.match(await text(page, 'weight-band'), /280–320 g.*TOO HEAVY/);
    assert.equal(await attribute(page, 'scale-status', 'data-status'), 'stable');
    await onTenInchScreen(context_, '06b-weight-off-10-inch');
  });

  step('RETRY with the right weight: weight passes, the label prints', async ({ page, station }) => {
    station.weigh(301);
    // The station ignores the scale while the parcel is stopped; the screen
    // shows the reading anyway.
    await waitForText(page, 'scale-reading', /^301 g$/);
    await page.locator(testid('cmd-retry')).click();
    const shown = await waitForVerdict(page, 'label.printed', { after: last });
    last = shown.id;
    assert.equal(await attribute(page, 'check-contents', 'data-state'), 'passed');
    assert.equal(await attribute(page, 'weight', 'data-state'), 'in');
    assert.equal(await attribute(page, 'label-status', 'data-state'), 'printed');
    assert.equal(await text(page, 'tracking'), SCR1_TRACKING);
    assert.match(await text(page, 'carrier'), /UPS/);
    // weight.accepted and label.submitted came and went on the way: the
    // server sends only the newest view to a screen that is behind.
    assert.match(await text(page, 'label-text'), /stick it on and scan it/);
  });

  step('label scanned back: PASS, confirmed sound', async ({ page, station }) => {
    station.scan(`]Q1PL1|SCR-1|${SCR1_TRACKING}`);
    const shown = await waitForVerdict(page, 'parcel.confirmed', { after: last });
    last = shown.id;
    assert.equal(shown.kind, 'confirmed');
    assert.equal(shown.word, 'PASS');
    assert.match(shown.title, /^PASS/);
    assert.match(shown.action, new RegExp(SCR1_TRACKING));
    for (const check of ['customer', 'contents', 'express']) {
      assert.equal(await attribute(page, `check-${check}`, 'data-state'), 'passed', check);
    }
    assert.equal(await attribute(page, 'label-status', 'data-state'), 'scanned');
    assert.ok(await page.evaluate(() => document.body.classList.contains('frame-pass')), 'green frame round the screen');
    await assertSound(page, 'confirmed', shown.id);
    station.daemon.type('remove');
  });

  step('reloaded page: the PASS stays, no sound is replayed', async ({ page }) => {
    await page.reload();
    await page.waitForSelector(testid('loading'), { state: 'hidden', timeout: WAIT_MS });
    const shown = await banner(page);
    assert.equal(shown.code, 'parcel.confirmed');
    assert.deepEqual(await sounds(page), []);
    await page.locator(testid('sound-enable')).click();
  });

  step('bad phone: customer check failed, the field marked', async ({ page, station }) => {
    station.scan('SCR-2');
    const shown = await waitForVerdict(page, 'customer.phone_invalid', { after: 0 });
    last = shown.id;
    assert.equal(shown.kind, 'exception');
    assert.equal(shown.title, 'Bad phone number: 12');
    assert.match(shown.action, /US number.*supervisor/);
    assert.equal(await attribute(page, 'check-customer', 'data-state'), 'failed');
    assert.match(await attribute(page, 'recipient-phone', 'class'), /is-bad/);
    await assertSound(page, 'wrong', shown.id);
  });

  step('supervisor badge: the override reasons as buttons with the time left', async (context_) => {
    const { page, station } = context_;
    station.scan('PL-SUP:SUP-0001');
    const shown = await waitForVerdict(page, 'override.choose_reason', { after: last });
    last = shown.id;
    await page.waitForSelector(testid('supervisor'), { state: 'visible', timeout: WAIT_MS });
    assert.match(await text(page, 'supervisor-title'), /Demo Supervisor/);
    assert.match(await text(page, 'supervisor-text'), /Bad phone number: 12/);
    assert.ok(await page.locator(testid('reason-verified-by-phone')).isVisible());
    assert.match(await text(page, 'reason-verified-by-phone'), /Recipient verified by phone/);
    const seconds = Number(await attribute(page, 'supervisor-countdown', 'data-seconds'));
    assert.ok(seconds >= 0 && seconds <= 30, `countdown ${seconds} s`);
    await onTenInchScreen(context_, '11b-supervisor-10-inch');
  });

  step('a reason tapped: the customer check is overridden', async ({ page }) => {
    await page.locator(testid('reason-verified-by-phone')).click();
    const shown = await waitForVerdict(page, 'parcel.override', { after: last });
    last = shown.id;
    await page.waitForSelector(testid('supervisor'), { state: 'hidden', timeout: WAIT_MS });
    assert.equal(await attribute(page, 'check-customer', 'data-state'), 'overridden');
    assert.match(await text(page, 'check-customer-status'), /Overridden/);
    assert.equal(shown.action, 'Go on scanning the items.');
  });

  step('manual entry: the item counts, marked as typed by hand', async ({ page }) => {
    await page.locator(testid('manual-input')).fill('4006381333931');
    await page.locator(testid('manual-submit')).click();
    const shown = await waitForVerdict(page, 'item.accepted', { after: last });
    last = shown.id;
    assert.equal(await attribute(page, 'line-MUG-WHT', 'data-scanned'), '1');
    assert.equal(await attribute(page, 'line-MUG-WHT', 'data-manual'), '1');
    assert.ok(await page.locator(testid('line-MUG-WHT-manual')).isVisible(), 'hand mark on the line');
    assert.equal(await page.locator(testid('manual-input')).inputValue(), '');
    await assertSound(page, 'good', shown.id);
  });

  step('a typed badge is refused', async ({ page }) => {
    await page.locator(testid('manual-input')).fill('PL-SUP:SUP-0001');
    await page.locator(testid('manual-input')).press('Enter');
    const shown = await waitForVerdict(page, 'scan.badge_typed', { after: last });
    last = shown.id;
    assert.equal(shown.kind, 'rejected');
    assert.equal(shown.title, 'Badges must be scanned');
    await page.waitForSelector(testid('supervisor'), { state: 'hidden', timeout: WAIT_MS });
  });

  step('ABANDON asks first, then abandons', async ({ page }) => {
    await page.locator(testid('cmd-abandon')).click();
    await page.waitForSelector(testid('abandon-confirm'), { state: 'visible', timeout: WAIT_MS });
    await page.locator(testid('cmd-abandon-cancel')).click();
    await page.waitForSelector(testid('abandon-confirm'), { state: 'hidden', timeout: WAIT_MS });
    assert.equal((await banner(page)).id, last, 'going back sends nothing');
    await page.locator(testid('cmd-abandon')).click();
    await page.locator(testid('cmd-abandon-confirm')).click();
    const shown = await waitForVerdict(page, 'parcel.abandoned', { after: last });
    last = shown.id;
    assert.equal(shown.title, 'Parcel abandoned');
  });

  step('no script errors, refused styles or failed requests so far', async ({ problems }) => {
    assert.deepEqual(problems, []);
  });

  step('daemon stopped: connection lost, reconnecting', async ({ page, station }) => {
    assert.equal(await station.stop(), 0, 'packline-stationd exits 0 on SIGTERM');
    await waitForAttribute(page, 'connection', 'data-state', 'lost');
    assert.equal(await text(page, 'connection'), 'connection lost — reconnecting');
    assert.ok(await page.locator(testid('cmd-retry')).isDisabled(), 'no commands while offline');
  });
});

describe('packer screen: a Chinese (zh-CN) station', { skip: unavailable || false }, () => {
  const { step } = bench('zh-CN', { config: stationConfig({ language: 'zh-CN' }) });
  let last = 0;

  step('idle in Chinese', async ({ page }) => {
    await waitForText(page, 'verdict-title', /^扫描订单开始$/);
    assert.equal(await page.locator(`${testid('check-customer')} .check-name`).innerText(), '客户');
    assert.equal(await text(page, 'connection'), '已连接');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  });

  step('unknown order: the verdict in Chinese', async ({ page, station }) => {
    station.scan('NOPE-1');
    const shown = await waitForVerdict(page, 'order.unknown', { after: last });
    last = shown.id;
    assert.equal(shown.kind, 'rejected');
    assert.equal(shown.word, '停止');
    assert.equal(shown.title, '没有订单 NOPE-1');
    assert.equal(shown.action, '扫描拣货单上的订单条码。');
  });

  step('bad phone in Chinese, on a 10-inch screen', async (context_) => {
    const { page, station } = context_;
    station.scan('SCR-2');
    const shown = await waitForVerdict(page, 'customer.phone_invalid', { after: last });
    last = shown.id;
    assert.equal(shown.title, '电话号码有误：12');
    assert.match(shown.action, /US 号码/);
    assert.match(await text(page, 'check-customer-status'), /未通过/);
    await onTenInchScreen(context_, '03b-bad-phone-10-inch');
  });

  step('no script errors, refused styles or failed requests', async ({ problems }) => {
    assert.deepEqual(problems, []);
  });
});

describe('packer screen: sign-in and the idle lock', { skip: unavailable || false }, () => {
  const { step } = bench('lock', {
    config: stationConfig({ signInRequired: true, idleLock: 'idle_lock_seconds = 3' }),
  });

  const signedIn = (page, packer) =>
    page.waitForFunction(
      (name) => window.packline.views.some((view) => !view.locked && view.packer === name),
      packer,
      { timeout: WAIT_MS },
    );

  step('locked until a badge is scanned', async ({ page }) => {
    await page.waitForSelector(testid('lock'), { state: 'visible', timeout: WAIT_MS });
    assert.equal(await page.locator(`${testid('lock')} .fullscreen-title`).innerText(), 'Scan your badge to sign in');
    assert.equal(await text(page, 'lock-reason'), 'Nobody is signed in at this station.');
    assert.equal(await text(page, 'packer'), 'Locked');
    assert.equal(await attribute(page, 'packer', 'data-state'), 'locked');
  });

  step('packer badge: unlocked, alice signed in', async ({ page, station }) => {
    const before = await page.evaluate(() => window.packline.views.length);
    station.scan('PL-PACKER:alice');
    await signedIn(page, 'alice');
    const views = await page.evaluate((from) => window.packline.views.slice(from), before);
    assert.ok(views.some((view) => view.verdict_code === 'packer.login'), JSON.stringify(views));
  });

  step('idle: locked again, alice signed out', async ({ page }) => {
    await page.waitForFunction(
      () => {
        const views = window.packline.views;
        const last = views[views.length - 1];
        return last.locked && last.verdict_code === 'station.locked';
      },
      null,
      { timeout: WAIT_MS },
    );
    await page.waitForSelector(testid('lock'), { state: 'visible', timeout: WAIT_MS });
    assert.equal(await text(page, 'lock-reason'), 'Signed out after a while without activity.');
    assert.equal(await text(page, 'packer'), 'Locked');
  });

  step('badge again: alice is back', async ({ page, station }) => {
    const before = await page.evaluate(() => window.packline.views.length);
    station.scan('PL-PACKER:alice');
    await page.waitForFunction(
      (from) => window.packline.views.slice(from).some((view) => !view.locked && view.packer === 'alice'),
      before,
      { timeout: WAIT_MS },
    );
  });

  step('no script errors, refused styles or failed requests', async ({ problems }) => {
    assert.deepEqual(problems, []);
  });
});
