/**
 * Preloaded (`node --require`) into every service the local stack starts. Each service runs in its
 * own process group, so if the runner dies without stopping them (`kill -9`, a crash), nothing
 * would: they would keep serving, and holding their ports, unseen. Once the runner is gone (the
 * service has been handed to another parent), the service stops itself with SIGTERM, the signal
 * the runner would have sent, and shuts down as usual.
 */
const POLL_MS = 500;
const runner = process.ppid;

const watch = setInterval(() => {
  if (process.ppid === runner) return;
  clearInterval(watch);
  process.kill(process.pid, 'SIGTERM');
}, POLL_MS);
watch.unref();
