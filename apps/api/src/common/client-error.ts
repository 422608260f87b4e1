import type { Socket } from 'node:net';

/** Node's HTTP parser errors as the message a client can act on. */
function reasonOf(code: string | undefined): string {
  switch (code) {
    case 'HPE_INVALID_CHUNK_SIZE':
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
    case 'HPE_INVALID_EOF_STATE':
      return code === 'HPE_INVALID_EOF_STATE'
        ? 'the connection ended before the body its Content-Length (or chunked encoding) announced was complete'
        : 'the chunked body is malformed (each chunk must start with its size in hexadecimal)';
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
    case 'HPE_INVALID_CONTENT_LENGTH':
      return 'the Content-Length header is invalid, or given with Transfer-Encoding';
    default:
      return `the request is not valid HTTP/1.1 (${code ?? 'unreadable'})`;
  }
}

/**
 * Answers requests Node's HTTP parser cannot read in the same `{error, message, details}` shape as every other
 * refusal (instead of Fastify's default `{"error":"Bad Request","message":"Client Error"}`), then closes the
 * connection, whose stream can no longer be trusted.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, label, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'headers_too_large', 'the request headers are too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'request_timeout', 'the request took too long to arrive']
        : [400, 'Bad Request', 'malformed_request', reasonOf(error.code)];
  const body = JSON.stringify({ error: code, message, details: [] });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${label}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
