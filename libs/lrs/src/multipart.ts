import { randomBytes } from 'node:crypto';
import { LrsErrorCode, LrsException } from './lrs.exception.js';

/** One part of a multipart/mixed body: its headers (names lower-cased) and raw bytes. */
export interface Part {
  headers: Record<string, string>;
  body: Buffer;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

function bad(message: string): LrsException {
  return new LrsException(LrsErrorCode.InvalidParameter, `multipart/mixed body: ${message}`);
}

/** The boundary parameter of a multipart Content-Type (RFC 2046 5.1.1), quoted or not. */
export function boundaryOf(contentType: string): string {
  const m = /;\s*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary || boundary.length > 70) {
    throw bad('the Content-Type needs a boundary parameter of 1 to 70 characters, e.g. multipart/mixed; boundary=abc');
  }
  return boundary;
}

function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    if (line === '') continue;
    const i = line.indexOf(':');
    if (i <= 0) throw bad(`malformed part header line "${line.slice(0, 80)}"`);
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return headers;
}

/** Splits a multipart body (RFC 2046 5.1): preamble and epilogue ignored, a close delimiter required. */
export function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  if (at === -1 || (at > 0 && !body.subarray(at - 2, at).equals(CRLF))) {
    throw bad(`no part starts with the boundary "--${boundary}" given in the Content-Type`);
  }
  const parts: Part[] = [];
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === '--') return parts;
    const lineEnd = body.indexOf(CRLF, at);
    if (lineEnd === -1) throw bad('the body ends inside a boundary line');
    const next = body.indexOf(Buffer.concat([CRLF, delimiter]), lineEnd);
    if (next === -1) throw bad(`the closing boundary "--${boundary}--" is missing`);
    const part = body.subarray(lineEnd + 2, next);
    // A part without headers starts with the blank line itself.
    const headerEnd = part.subarray(0, 2).equals(CRLF) ? -2 : part.indexOf(HEADER_END);
    if (headerEnd === -1) throw bad('a part has no blank line after its headers');
    parts.push({
      headers: parseHeaders(headerEnd < 0 ? '' : part.subarray(0, headerEnd).toString('utf8')),
      body: part.subarray(headerEnd + 4),
    });
    at = next + 2;
  }
}

/** A multipart/mixed body: the JSON part first, then each attachment (Communication 1.5.2). */
export function buildMultipart(json: string, attachments: { sha2: string; contentType: string; content: Buffer }[]) {
  const boundary = `xapi-${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [
    Buffer.from(`--${boundary}\r\nContent-Type: application/json; charset=utf-8\r\n\r\n${json}\r\n`),
  ];
  for (const a of attachments) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Type: ${a.contentType}\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${a.sha2}\r\n\r\n`,
      ),
      a.content,
      CRLF,
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: Buffer.concat(chunks) };
}
