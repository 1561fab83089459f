// A real packline-stationd on simulated devices, with the packer screen on a
// loopback port: orders imported with `packline orders import`, barcodes
// typed on its standard input, the simulated scale driven with "weight".
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killOnExit } from './cleanup.mjs';
import { binary } from './paths.mjs';
import { ManagedProcess, run } from './process.mjs';

export class Station {
  // config: the TOML text; orders: import files (JSON/CSV) to load first.
  static async start({ config, orders = [], name = 'station' } = {}) {
    const directory = mkdtempSync(path.join(os.tmpdir(), `packline-browser-${name}-`));
    const station = new Station(directory, name);
    try {
      for (const file of orders) {
        const imported = await run(binary('packline'), ['orders', 'import', '--db', station.database, file], {
          cwd: directory,
          name: 'packline orders import',
        });
        if (imported.code !== 0) throw new Error(`packline orders import ${file} failed (${imported.code}):\n${imported.output}`);
      }
      writeFileSync(station.configFile, config);
      station.daemon = killOnExit(
        new ManagedProcess(binary('packline-stationd'), ['--config', station.configFile, '--db', station.database], {
          cwd: directory,
          name: 'packline-stationd',
        }),
      );
      const found = await station.daemon.waitForLine(/packer screen (http:\/\/\S+)/, { timeoutMs: 20000 });
      station.url = found[1].endsWith('/') ? found[1] : `${found[1]}/`;
      await station.daemon.waitForLine('ready', { timeoutMs: 20000 });
    } catch (error) {
      await station.stop();
      throw error;
    }
    return station;
  }

  constructor(directory, name) {
    this.directory = directory;
    this.name = name;
    this.database = path.join(directory, 'station.db');
    this.configFile = path.join(directory, 'packline.toml');
    this.daemon = null;
    this.url = null;
  }

  // A barcode, as the simulated scanner reads it.
  scan(code) {
    this.daemon.type(code);
  }

  // Puts `grams` on the simulated scale.
  weigh(grams) {
    this.daemon.type(`weight ${grams}`);
  }

  output() {
    return this.daemon ? this.daemon.output() : '';
  }

  // SIGTERM; the exit code. Safe to call twice.
  async stop() {
    if (!this.daemon) return undefined;
    return this.daemon.stop();
  }

  // Removes the temporary directory (after stop()).
  remove() {
    rmSync(this.directory, { recursive: true, force: true });
  }
}
