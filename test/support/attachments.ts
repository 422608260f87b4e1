import { createHash } from 'node:crypto';

export const BOUNDARY = 'abcABC0123456789';

export interface PartSpec {
  content: Buffer | string;
  hash?: string;
  contentType?: string;
}

export const sha256 = (content: Buffer | string) => createHash('sha256').update(content).digest('hex');

export function attachment(content: string, extra: Record<string, unknown> = {}) {
  return {
    usageType: 'https://ent.example.fr/xapi/attachments/copie',
    display: { 'fr-FR': 'Copie' },
    contentType: 'text/plain',
    length: Buffer.byteLength(content),
    sha2: sha256(content),
    ...extra,
  };
}

export function multipart(statements: unknown, parts: PartSpec[], boundary = BOUNDARY): Buffer {
  const chunks = [`--${boundary}\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(statements)}\r\n`];
  const buffers: Buffer[] = [Buffer.from(chunks[0] ?? '')];
  for (const p of parts) {
    buffers.push(
      Buffer.from(
        `--${boundary}\r\nContent-Type: ${p.contentType ?? 'text/plain'}\r\nContent-Transfer-Encoding: binary\r\n` +
          `X-Experience-API-Hash: ${p.hash ?? sha256(p.content)}\r\n\r\n`,
      ),
      Buffer.from(p.content),
      Buffer.from('\r\n'),
    );
  }
  buffers.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(buffers);
}
