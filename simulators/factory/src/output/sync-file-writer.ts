import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Appends text to a file through a fixed buffer with synchronous writes: the simulator's core calls
 * the ground-truth sink synchronously, and this keeps memory bounded whatever the run's size.
 */
export class SyncFileWriter {
  private readonly fd: number;
  private chunks: string[] = [];
  private size = 0;

  constructor(
    readonly path: string,
    private readonly flushAt = 1 << 16,
  ) {
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    this.chunks.push(text);
    this.size += text.length;
    if (this.size >= this.flushAt) this.flush();
  }

  flush(): void {
    if (this.chunks.length === 0) return;
    writeSync(this.fd, this.chunks.join(''));
    this.chunks = [];
    this.size = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
