import { serveJobs } from '../common/worker-pool.js';
import { type Chunk, type ChunkResult, type ChunkSetup, chunkProcessor } from './load-chunk.js';

/** A loader thread: validation, preparation and enrichment of chunks of lines (bulk-loader.ts). */
serveJobs<ChunkSetup, Chunk, ChunkResult>((setup) => {
  const processChunk = chunkProcessor(setup);
  return {
    run(chunk) {
      const result = processChunk(chunk);
      // Moved, not copied: the buffers are the chunk's rows (megabytes).
      return {
        result,
        transfer: [result.rows.buffer, result.offsets.buffer, result.timestampSent.buffer] as ArrayBuffer[],
      };
    },
  };
});
