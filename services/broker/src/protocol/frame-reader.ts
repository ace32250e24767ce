/** Why a byte stream cannot be cut into MQTT packets. */
export class FrameError extends Error {
  constructor(
    readonly kind: 'packet_too_large' | 'malformed_packet',
    message: string,
    /** The announced size of the packet, when the header was readable. */
    readonly size?: number,
  ) {
    super(message);
    this.name = 'FrameError';
  }
}

/**
 * Cuts an inbound byte stream into whole MQTT control packets. The size check happens on the fixed
 * header, before the body is buffered, so a client announcing a 256 MB packet costs nothing.
 */
export class FrameReader {
  private chunks: Buffer[] = [];
  private offset = 0;
  private available = 0;

  constructor(private readonly maxPacketSize: number) {}

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.available += chunk.length;
  }

  /** The first byte of the next packet (its type and flags), if any byte is buffered. */
  peekFirstByte(): number | undefined {
    return this.available > 0 ? this.byteAt(0) : undefined;
  }

  get buffered(): number {
    return this.available;
  }

  /** The next whole packet, or null when more bytes are needed. Throws FrameError. */
  read(): Buffer | null {
    if (this.available < 2) return null;
    const first = this.byteAt(0);
    const type = first >> 4;
    if (type === 0) throw new FrameError('malformed_packet', 'packet type 0 is reserved');
    let remaining = 0;
    let multiplier = 1;
    let headerLength = 1;
    for (;;) {
      if (headerLength > 4) throw new FrameError('malformed_packet', 'remaining length longer than 4 bytes');
      if (this.available <= headerLength) return null;
      const byte = this.byteAt(headerLength);
      remaining += (byte & 0x7f) * multiplier;
      multiplier *= 128;
      headerLength++;
      if ((byte & 0x80) === 0) break;
    }
    const total = headerLength + remaining;
    if (total > this.maxPacketSize) {
      throw new FrameError(
        'packet_too_large',
        `packet of ${total} bytes exceeds ${this.maxPacketSize}`,
        total,
      );
    }
    if (this.available < total) return null;
    return this.take(total);
  }

  private byteAt(index: number): number {
    let i = index + this.offset;
    for (const chunk of this.chunks) {
      if (i < chunk.length) return chunk[i] ?? 0;
      i -= chunk.length;
    }
    return 0;
  }

  private take(length: number): Buffer {
    const head = this.chunks[0] as Buffer;
    this.available -= length;
    if (head.length - this.offset >= length) {
      const frame = head.subarray(this.offset, this.offset + length);
      this.offset += length;
      if (this.offset === head.length) {
        this.chunks.shift();
        this.offset = 0;
      }
      return frame;
    }
    const frame = Buffer.allocUnsafe(length);
    let written = 0;
    while (written < length) {
      const chunk = this.chunks[0] as Buffer;
      const n = Math.min(chunk.length - this.offset, length - written);
      chunk.copy(frame, written, this.offset, this.offset + n);
      written += n;
      this.offset += n;
      if (this.offset === chunk.length) {
        this.chunks.shift();
        this.offset = 0;
      }
    }
    return frame;
  }
}

/**
 * Follows packet boundaries in an outbound byte stream without copying it: reports each packet's
 * first byte as its header completes, and whether the stream currently sits between two packets.
 */
export class FrameScanner {
  private state: 'type' | 'length' | 'body' = 'type';
  private first = 0;
  private remaining = 0;
  private multiplier = 1;

  constructor(private readonly onPacket: (firstByte: number) => void) {}

  get atBoundary(): boolean {
    return this.state === 'type';
  }

  scan(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.state === 'type') {
        this.first = chunk[i++] ?? 0;
        this.remaining = 0;
        this.multiplier = 1;
        this.state = 'length';
      } else if (this.state === 'length') {
        const byte = chunk[i++] ?? 0;
        this.remaining += (byte & 0x7f) * this.multiplier;
        this.multiplier *= 128;
        if ((byte & 0x80) === 0) {
          this.onPacket(this.first);
          this.state = this.remaining === 0 ? 'type' : 'body';
        }
      } else {
        const n = Math.min(this.remaining, chunk.length - i);
        i += n;
        this.remaining -= n;
        if (this.remaining === 0) this.state = 'type';
      }
    }
  }
}
