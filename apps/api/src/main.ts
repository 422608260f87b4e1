import { EnvError, loadEnv } from './config/env.js';

async function main(): Promise<void> {
  let env;
  try {
    env = loadEnv();
  } catch (e) {
    if (e instanceof EnvError) {
      process.stderr.write(`${e.message}\nSee the configuration table in README.md.\n`);
      process.exit(2);
    }
    throw e;
  }
  // The application (NestJS, Apollo, the stores' drivers) is loaded only once the configuration is known to be
  // valid: a wrong variable is reported at once, even on a loaded machine.
  const [{ createApp }, { createLogger }] = await Promise.all([import('./app.js'), import('./common/logger.js')]);
  const logger = createLogger(env.LOG_LEVEL);
  const app = await createApp(env, logger);
  await app.listen(env.PORT);
  logger.info({ url: `http://localhost:${env.PORT}` }, 'ENT Observatory listening');
}

main().catch((e: unknown) => {
  process.stderr.write(`Fatal: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
