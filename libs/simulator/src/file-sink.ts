import { closeSync, openSync, writeSync } from 'node:fs';
import type { LineSink } from './statements.js';

/**
 * Buffered NDJSON writes: statement lines are ASCII (statements.ts escapes the rest), so each is copied into an
 * 8 MiB buffer with a Latin-1 write (a plain copy, no UTF-8 encoding) and the buffer goes to the file when full.
 */
interface Latin1Buffer extends Buffer {
  /** Node's Buffer method behind write(s, offset, 'latin1'), without the encoding dispatch (not in @types/node). */
  latin1Write(s: string, offset: number): number;
}

/** Room kept free before each statement: no statement line is this long. */
const MAX_LINE = 64 * 1024;

export class NdjsonFileSink implements LineSink {
  bytes = 0;
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(8 * 1024 * 1024) as Latin1Buffer;
  private used = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  /** One whole line (when lines come as strings). */
  write = (line: string): void => {
    if (this.used + line.length > this.buffer.length) this.flush();
    this.used += this.buffer.latin1Write(line, this.used);
  };

  part(s: string): void {
    this.used += this.buffer.latin1Write(s, this.used);
  }

  end(): void {
    this.buffer[this.used++] = 10;
    if (this.used > this.buffer.length - MAX_LINE) this.flush();
  }

  private flush(): void {
    let offset = 0;
    while (offset < this.used) offset += writeSync(this.fd, this.buffer, offset, this.used - offset);
    this.bytes += this.used;
    this.used = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
