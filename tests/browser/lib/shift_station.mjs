// A packline-stationd packing a scripted shift (--shift N: simulated
// devices, a scripted packer that plants mistakes among good parcels) and
// syncing with a hub through a broker ([sync]), as the C++ end-to-end tests
// run it (tests/e2e/sync_faults_test.cpp). The packer screen is off.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { binary } from './paths.mjs';
import { ManagedProcess } from './process.mjs';
import { killOnExit } from './cleanup.mjs';

export class ShiftStation {
  // id, site, packer: the station's identity and signed-in packer; broker: a
  // Broker; orders, seed, paceMs: the shift (--shift, --seed, --pace);
  // parent: where its temporary directory goes (default: the system's).
  constructor({ id, site = 'ams1', packer, broker, orders = 20, seed = 1, paceMs = 150, drainSeconds = 30, env = process.env, parent = os.tmpdir() }) {
    this.id = id;
    this.directory = mkdtempSync(path.join(parent, `packline-station-${id}-`));
    this.database = path.join(this.directory, 'station.db');
    this.configFile = path.join(this.directory, 'station.toml');
    this.args = [
      '--config', this.configFile,
      '--shift', String(orders),
      '--seed', String(seed),
      '--pace', String(paceMs),
      '--drain-timeout', String(drainSeconds),
    ];
    this.env = env;
    this.process = null;
    const lines = [
      '[station]',
      `id = ${JSON.stringify(id)}`,
      `site = ${JSON.stringify(site)}`,
      `database = ${JSON.stringify(this.database)}`,
      ...(packer ? [`packer = ${JSON.stringify(packer)}`] : []),
      '[screen]',
      'enabled = false',
      '[sync]',
      `brokers = [${JSON.stringify(broker.uri())}]`,
      'reconnect_min_ms = 100',
      'reconnect_max_ms = 500',
      'connect_timeout_s = 3',
      'keep_alive_s = 5',
      'ack_timeout_ms = 3000',
      'status_interval_s = 2',
      '',
    ];
    writeFileSync(this.configFile, lines.join('\n'));
  }

  start() {
    this.process = killOnExit(new ManagedProcess(binary('packline-stationd'), this.args, { cwd: this.directory, env: this.env, name: `packline-stationd ${this.id}` }));
    return this.process.waitForLine('sync: connected', { timeoutMs: 20000 });
  }

  // Ends the daemon with SIGKILL: no clean offline status, the broker
  // publishes its will.
  async kill() {
    if (!this.process || this.process.exitCode !== undefined) return this.process?.exitCode;
    this.process.child.kill('SIGKILL');
    return this.process.exited;
  }

  // Resolves to the exit code when the shift ends by itself (0: as planned;
  // 1: a step went otherwise; 3: not everything acknowledged in time).
  finished({ timeoutMs = 60000 } = {}) {
    let timer;
    return Promise.race([
      this.process.exited,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${this.id}: the shift did not end within ${timeoutMs} ms:\n${this.output().slice(-3000)}`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  running() {
    return this.process !== null && this.process.exitCode === undefined;
  }

  output() {
    return this.process ? this.process.output() : '';
  }

  async stop() {
    if (!this.process) return undefined;
    return this.process.stop({ timeoutMs: 10000 });
  }

  remove() {
    rmSync(this.directory, { recursive: true, force: true });
  }
}
