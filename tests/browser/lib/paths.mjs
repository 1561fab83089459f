// The repository and the build whose programs the tests run.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

// PACKLINE_BINARY_DIR: the CMake build directory (its bin/ holds the programs).
export const binaryDirectory = process.env.PACKLINE_BINARY_DIR || path.join(repositoryRoot, 'build');

export function binary(name) {
  return path.join(binaryDirectory, 'bin', name);
}
