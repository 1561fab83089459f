// Where tests leave what a person looks at afterwards (screenshots):
// $PACKLINE_ARTEFACTS, else <build dir>/test-artefacts/browser.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { repositoryRoot } from './paths.mjs';

// clean: start empty, so that no picture of an earlier run is mistaken for
// this one's.
export function artefactDirectory(name, { clean = false } = {}) {
  const base =
    process.env.PACKLINE_ARTEFACTS ||
    path.join(process.env.PACKLINE_BINARY_DIR || path.join(repositoryRoot, 'build'), 'test-artefacts', 'browser');
  const directory = name ? path.join(base, name) : base;
  if (clean) rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  return directory;
}

// Saves the page as <directory>/<name>.png and returns the file's path.
export async function saveScreenshot(page, directory, name) {
  const file = path.join(directory, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}
