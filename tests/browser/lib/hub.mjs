// A real packline-hub for a browser test: its configuration and database in
// a temporary directory, supervisor accounts and catalogue imports through
// the program's own commands, `run` with the dashboard on a free loopback
// port (--dashboard 127.0.0.1:0), and export for what the database holds.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { binary } from './paths.mjs';
import { ManagedProcess } from './process.mjs';
import { killOnExit } from './cleanup.mjs';

function tomlString(text) {
  return JSON.stringify(String(text)); // a TOML basic string is JSON's for these values
}

// Runs a packline-hub command to its end, with `input` lines on its standard
// input: { code, output }.
function command(args, { cwd, env, input = [] } = {}) {
  const managed = killOnExit(new ManagedProcess(binary('packline-hub'), args, { cwd, env, name: `packline-hub ${args[0]}` }));
  for (const line of input) managed.type(line);
  managed.child.stdin.end();
  return managed.exited.then((code) => ({ code, output: managed.output() }));
}

export class Hub {
  // broker: a Broker; sites; shiftStarts: [dashboard] shift_starts ("HH:MM",
  // in the hub's local time zone: pass env.TZ to be sure which); env: the
  // environment of every hub process.
  // parent: where its temporary directory goes (default: the system's).
  constructor({ broker, sites = ['ams1'], shiftStarts = null, env = process.env, parent = os.tmpdir() } = {}) {
    this.directory = mkdtempSync(path.join(parent, 'packline-hub-'));
    this.database = path.join(this.directory, 'hub.db');
    this.configFile = path.join(this.directory, 'hub.toml');
    this.env = env;
    this.process = null;
    this.url = null;
    const lines = [
      '[hub]',
      `sites = [${sites.map(tomlString).join(', ')}]`,
      `database = ${tomlString(this.database)}`,
      'summary_interval_s = 0',
      '[mqtt]',
      `brokers = [${tomlString(broker.uri())}]`,
      'reconnect_min_ms = 100',
      'reconnect_max_ms = 500',
      '[dashboard]',
      'enabled = true',
      'listen = "127.0.0.1:0"',
      ...(shiftStarts ? [`shift_starts = [${shiftStarts.map(tomlString).join(', ')}]`] : []),
      '',
    ];
    writeFileSync(this.configFile, lines.join('\n'));
  }

  run(args, options = {}) {
    return command(args, { cwd: this.directory, env: this.env, ...options });
  }

  async mustRun(args, options = {}) {
    const result = await this.run(args, options);
    if (result.code !== 0) throw new Error(`packline-hub ${args.join(' ')} failed (${result.code}):\n${result.output}`);
    return result;
  }

  // `user add NAME`, the password on standard input (one line from a pipe).
  addUser(name, password, displayName = '') {
    const args = ['user', 'add', name, '--config', this.configFile];
    if (displayName) args.push('--display-name', displayName);
    return this.mustRun(args, { input: [password] });
  }

  // `import` (publishes retained: the broker must be running).
  importFile(file) {
    return this.mustRun(['import', '--config', this.configFile, file]);
  }

  // Writes `text` into the hub's directory as `name`; returns its path.
  writeFile(name, text) {
    const file = path.join(this.directory, name);
    writeFileSync(file, text);
    return file;
  }

  // `run` with the dashboard on a free loopback port (or `listen`, e.g. the
  // same address again after stop()); resolves once the dashboard listens
  // and the hub is connected to the broker.
  async start({ listen = '127.0.0.1:0' } = {}) {
    this.process = killOnExit(
      new ManagedProcess(binary('packline-hub'), ['run', '--config', this.configFile, '--dashboard', listen], {
        cwd: this.directory,
        env: this.env,
        name: 'packline-hub run',
      }),
    );
    await this.process.waitForLine('hub: connected', { timeoutMs: 20000 });
    const found = await this.process.waitForLine(/hub: dashboard (https?:\/\/\S+)/, { timeoutMs: 20000 });
    this.url = found[1].endsWith('/') ? found[1] : `${found[1]}/`;
    return this.url;
  }

  // The confirmations the hub stored, as `export --format json` lists them.
  async shipments() {
    const file = path.join(this.directory, 'export.json');
    await this.mustRun(['export', '--db', this.database, '--since', '0', '--format', 'json', '-o', file]);
    return JSON.parse(readFileSync(file, 'utf8')).shipments;
  }

  // Confirmations stored per station: { station: count }.
  async shipmentsByStation() {
    const counts = {};
    for (const shipment of await this.shipments()) counts[shipment.station] = (counts[shipment.station] || 0) + 1;
    return counts;
  }

  output() {
    return this.process ? this.process.output() : '';
  }

  // SIGTERM (the hub stores and acknowledges what is queued); the exit code.
  async stop() {
    if (!this.process) return undefined;
    return this.process.stop({ timeoutMs: 10000 });
  }

  // Stops the hub and runs it again with the dashboard on the same address.
  async restart() {
    const code = await this.stop();
    if (code !== 0) throw new Error(`packline-hub run ended with ${code}:\n${this.output()}`);
    const listen = new URL(this.url).host;
    const before = this.url;
    await this.start({ listen });
    if (this.url !== before) throw new Error(`the dashboard moved from ${before} to ${this.url}`);
    return this.url;
  }

  remove() {
    rmSync(this.directory, { recursive: true, force: true });
  }
}
