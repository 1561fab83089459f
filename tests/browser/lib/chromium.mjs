// Debian's chromium, driven through playwright-core (no browser download:
// the distribution's browser is the one a station runs).
import { accessSync, constants } from 'node:fs';

export const chromiumPath = process.env.PACKLINE_CHROMIUM || '/usr/bin/chromium';

// The flags a container or CI runner needs: no user namespaces for the
// sandbox, no GPU, a small /dev/shm.
export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'];

let playwright = null;

async function loadPlaywright() {
  if (!playwright) playwright = await import('playwright-core');
  return playwright;
}

// Why browser tests cannot run here, or null when they can.
export async function browserUnavailable() {
  try {
    accessSync(chromiumPath, constants.X_OK);
  } catch {
    return `no chromium at ${chromiumPath} (apt install chromium, or set PACKLINE_CHROMIUM)`;
  }
  try {
    await loadPlaywright();
  } catch {
    return 'playwright-core is not installed (npm ci in tests/browser, or scripts/install-deps.sh)';
  }
  return null;
}

export async function launchChromium({ args = [], headless = true } = {}) {
  const { chromium } = await loadPlaywright();
  return chromium.launch({ executablePath: chromiumPath, headless, args: [...chromiumArgs, ...args] });
}
