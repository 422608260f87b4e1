import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Buffered NDJSON writes: statement lines are ASCII (statements.ts escapes the rest), so each is copied into an
 * 8 MiB buffer with a Latin-1 write (a plain copy, no UTF-8 encoding) and the buffer goes to the file when full.
 */
export class NdjsonFileSink {
  bytes = 0;
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(8 * 1024 * 1024);
  private used = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  write = (line: string): void => {
    if (this.used + line.length > this.buffer.length) this.flush();
    this.used += this.buffer.write(line, this.used, 'latin1');
  };

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
