import { parentPort, workerData } from 'node:worker_threads';
import { type Chunk, type ChunkSetup, chunkProcessor } from './load-chunk.js';

/** A loader thread: validation, preparation and enrichment of chunks of lines (bulk-loader.ts). */
const processChunk = chunkProcessor(workerData as ChunkSetup);
parentPort?.on('message', (chunk: Chunk) => {
  try {
    const result = processChunk(chunk);
    // Moved, not copied: the buffers are the chunk's rows (megabytes).
    const moved = [result.rows.buffer, result.offsets.buffer, result.timestampSent.buffer] as ArrayBuffer[];
    parentPort?.postMessage({ result }, moved);
  } catch (e) {
    parentPort?.postMessage({ error: (e as Error).stack ?? String(e), seq: chunk.seq });
  }
});
