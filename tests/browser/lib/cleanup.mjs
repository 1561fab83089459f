// Child processes a test started and must not outlive it: stop() in the
// test's after() is the normal way; this is the safety net for a test
// process that ends without running it (an uncaught error, process.exit).
// Only processes registered here are killed, each by its own pid.
const running = new Set();

process.once('exit', () => {
  for (const managed of running) {
    if (managed.exitCode === undefined) {
      try {
        managed.child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
});

// Registers a ManagedProcess; returns it.
export function killOnExit(managed) {
  running.add(managed);
  managed.exited.then(() => running.delete(managed));
  return managed;
}
