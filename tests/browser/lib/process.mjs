// Child processes the way the C++ tests' Daemon helper runs them: output
// collected line by line (stdout and stderr together), waits for a line,
// input typed one line at a time, SIGTERM to stop.
import { spawn } from 'node:child_process';
import readline from 'node:readline';

export class ManagedProcess {
  constructor(command, args, { cwd, env, name } = {}) {
    this.name = name || command;
    this.lines = [];
    this.waiters = new Set();
    this.exitCode = undefined;
    this.child = spawn(command, args, { cwd, env: env || process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exitCode = code === null ? `signal ${signal}` : code;
        this.notify();
        resolve(this.exitCode);
      });
      this.child.on('error', (error) => {
        this.lines.push(`${this.name}: ${error.message}`);
        this.exitCode = `error ${error.message}`;
        this.notify();
        resolve(this.exitCode);
      });
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => {
        this.lines.push(line);
        this.notify();
      });
    }
    this.child.stdin.on('error', () => {}); // writing after the end is reported by wait_for
  }

  notify() {
    for (const waiter of [...this.waiters]) waiter();
  }

  // The number of lines so far: pass it as `after` to wait only for what follows.
  mark() {
    return this.lines.length;
  }

  output() {
    return this.lines.join('\n');
  }

  // The first line from index `after` on that matches `pattern` (a string it
  // contains, or a RegExp; the RegExp's match is returned). Rejects with the
  // output so far on timeout or when the process ends first.
  waitForLine(pattern, { after = 0, timeoutMs = 15000 } = {}) {
    const find = () => {
      for (let index = after; index < this.lines.length; ++index) {
        const line = this.lines[index];
        if (typeof pattern === 'string' ? line.includes(pattern) : pattern.test(line)) {
          return typeof pattern === 'string' ? line : line.match(pattern);
        }
      }
      return null;
    };
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = find();
        if (found) {
          finish();
          resolve(found);
        } else if (this.exitCode !== undefined) {
          finish();
          reject(new Error(`${this.name} ended (${this.exitCode}) before printing ${pattern}:\n${this.output()}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`${this.name}: no line ${pattern} within ${timeoutMs} ms:\n${this.output()}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  type(line) {
    this.child.stdin.write(`${line}\n`);
  }

  // SIGTERM, then SIGKILL if it has not ended after `timeoutMs`. Resolves to
  // the exit code ("signal SIGKILL" when it had to be killed).
  async stop({ timeoutMs = 10000 } = {}) {
    if (this.exitCode !== undefined) return this.exitCode;
    this.child.kill('SIGTERM');
    let timer;
    const killed = new Promise((resolve) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, timeoutMs);
    });
    await Promise.race([this.exited, killed]);
    clearTimeout(timer);
    return this.exited;
  }
}

// Runs a command to its end: { code, output }.
export function run(command, args, options = {}) {
  const process_ = new ManagedProcess(command, args, options);
  process_.child.stdin.end();
  return process_.exited.then((code) => ({ code, output: process_.output() }));
}
