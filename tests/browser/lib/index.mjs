// Shared helpers of the browser tests.
export { artefactDirectory, saveScreenshot } from './artefacts.mjs';
export { browserUnavailable, chromiumArgs, chromiumPath, launchChromium } from './chromium.mjs';
export { binary, binaryDirectory, repositoryRoot } from './paths.mjs';
export { freePort } from './ports.mjs';
export { ManagedProcess, run } from './process.mjs';
export { Station } from './station.mjs';
