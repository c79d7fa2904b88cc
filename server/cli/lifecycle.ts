import type { FastifyInstance } from 'fastify';
import type { OpenedStore } from '../storage/openStore';

/**
 * On SIGTERM or SIGINT: stop accepting connections, let in-flight requests finish, stop the
 * background work, close the database (PGlite flushes to disk), release the data directory, exit 0.
 */
export function runUntilSignalled(
  app: FastifyInstance,
  opened: OpenedStore,
  background: Array<{ stop(): Promise<void> }> = [],
): Promise<void> {
  return new Promise((resolveDone) => {
    let stopping = false;
    const stop = async (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      console.log(`${signal}: finishing requests in flight and closing the store...`);
      try {
        // A keep-alive connection whose request finishes after close() began would hold the exit
        // back until the client drops it (seconds, or Fastify's 72 s): close each as it goes idle.
        const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
        await app.close().finally(() => clearInterval(sweep));
        // Background work (the email sender) finishes what it holds before the store closes under it.
        for (const worker of background) await worker.stop();
        await opened.close();
        resolveDone();
        process.exit(0);
      } catch (error) {
        console.error('Could not stop cleanly:', error);
        process.exit(1);
      }
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}
