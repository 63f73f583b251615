// Loads BullMQ (an optional peer dependency) only when --queue is used, or says in one line how to install it.
import { BlurigError } from '../../errors/index.js';

export type BullMQ = typeof import('bullmq');

/** The fix, said wherever BullMQ or its Redis client (ioredis, which BullMQ 6 no longer brings itself) is missing. */
export const INSTALL_HINT = 'npm install bullmq ioredis';

/** `import('bullmq')`, after checking its Redis client loads too; `importer` is for tests. */
export async function loadBullmq(importer: (name: string) => Promise<unknown> = (name) => import(name)): Promise<BullMQ> {
  const bullmq = (await importOrExplain('bullmq', importer)) as BullMQ;
  await importOrExplain('ioredis', importer);
  return bullmq;
}

async function importOrExplain(name: string, importer: (name: string) => Promise<unknown>): Promise<unknown> {
  try {
    return await importer(name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    throw new BlurigError(`--queue needs the optional package ${name}, which is not installed: run \`${INSTALL_HINT}\` beside blurig-audio.`, { cause: error });
  }
}
