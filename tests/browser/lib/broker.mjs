// A private mosquitto for a browser test, like the C++ tests' MosquittoBroker
// (tests/support/mosquitto_broker.h): one plain listener on a free loopback
// port, anonymous access, persistence off, its configuration in a temporary
// directory, its log (stderr) collected. start() resolves once a TCP connect
// succeeds; stop() ends it and removes the directory.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports.mjs';
import { ManagedProcess } from './process.mjs';
import { killOnExit } from './cleanup.mjs';

export const mosquittoPath = process.env.PACKLINE_MOSQUITTO || '/usr/sbin/mosquitto';

// Why a broker cannot run here, or null when it can.
export function brokerUnavailable() {
  return existsSync(mosquittoPath) ? null : `no mosquitto at ${mosquittoPath} (apt install mosquitto)`;
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export class Broker {
  // parent: where its temporary directory goes (default: the system's).
  static async start({ parent = os.tmpdir() } = {}) {
    const broker = new Broker(parent);
    try {
      await broker.launch();
    } catch (error) {
      await broker.stop();
      throw error;
    }
    return broker;
  }

  constructor(parent = os.tmpdir()) {
    this.directory = mkdtempSync(path.join(parent, 'packline-mosquitto-'));
    this.port = 0;
    this.process = null;
  }

  async launch() {
    this.port = await freePort();
    const lines = [
      // As root mosquitto would drop to user "mosquitto"; stay (the C++ harness does too).
      ...(typeof process.geteuid === 'function' && process.geteuid() === 0 ? ['user root'] : []),
      'persistence false',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      'log_type notice',
      'log_type information',
      'connection_messages true',
      // docs/mqtt/README.md: without it QoS 1 round trips wait for delayed ACKs.
      'set_tcp_nodelay true',
      `listener ${this.port} 127.0.0.1`,
      'allow_anonymous true',
      '',
    ];
    const configFile = path.join(this.directory, 'mosquitto.conf');
    writeFileSync(configFile, lines.join('\n'));
    this.process = killOnExit(new ManagedProcess(mosquittoPath, ['-c', configFile], { name: 'mosquitto' }));
    const deadline = Date.now() + 10000;
    while (!(await canConnect(this.port))) {
      if (this.process.exitCode !== undefined) throw new Error(`mosquitto ended (${this.process.exitCode}):\n${this.process.output()}`);
      if (Date.now() > deadline) throw new Error(`mosquitto does not accept connections on ${this.port}:\n${this.process.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  // "tcp://127.0.0.1:<port>", as [sync] brokers and [mqtt] brokers take it.
  uri() {
    return `tcp://127.0.0.1:${this.port}`;
  }

  output() {
    return this.process ? this.process.output() : '';
  }

  async stop() {
    if (this.process) await this.process.stop({ timeoutMs: 5000 });
    rmSync(this.directory, { recursive: true, force: true });
  }
}
