/**
 * SOC Hub in a child process started with --expose-gc, for the live benchmark's memory figure:
 * it tells its parent its URL over IPC, and on each message collects garbage and replies with
 * its memory use, so that what is measured is what idle connections keep, not garbage.
 */
import 'reflect-metadata';
import { createApp } from '../../src/app';
import { loadConfig } from '../../src/config';

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, PORT: '0', LOG_LEVEL: 'silent' });
  const app = await createApp(config, process.env.DATABASE_URL!);
  process.send!({ url: app.url });
  process.on('message', () => {
    for (let i = 0; i < 5; i++) (global as unknown as { gc: () => void }).gc();
    const { rss, heapUsed } = process.memoryUsage();
    process.send!({ rss, heapUsed });
  });
  process.on('SIGTERM', () => void app.stop().then(() => process.exit(0)));
}

void main();
