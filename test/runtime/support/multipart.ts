// An independent multipart/form-data parser (RFC 7578) for asserting what an upstream received,
// byte for byte, without trusting the library that produced the body.

export interface Part {
  /** Part header names lowercased. */
  readonly headers: Readonly<Record<string, string>>;
  readonly name: string | undefined;
  /** Absent when Content-Disposition has no filename parameter (a plain field). */
  readonly filename: string | undefined;
  readonly contentType: string | undefined;
  readonly data: Buffer;
}

export function boundaryOf(contentType: string | undefined): string {
  const match = /^multipart\/form-data;\s*boundary=(?:"([^"]+)"|([^;\s]+))\s*$/i.exec(contentType ?? '');
  const boundary = match?.[1] ?? match?.[2];
  if (boundary === undefined) throw new Error(`not multipart/form-data with a boundary: ${String(contentType)}`);
  return boundary;
}

export function parseMultipart(contentType: string | undefined, raw: Buffer): Part[] {
  const boundary = boundaryOf(contentType);
  const opening = Buffer.from(`--${boundary}`);
  const separator = Buffer.from(`\r\n--${boundary}`);
  if (raw.indexOf(opening) !== 0) throw new Error('body does not start with the boundary');
  const parts: Part[] = [];
  let pos = opening.length;
  for (;;) {
    const after = raw.subarray(pos, pos + 2).toString('latin1');
    if (after === '--') {
      const rest = raw.subarray(pos + 2).toString('latin1');
      if (rest !== '' && rest !== '\r\n') throw new Error(`unexpected epilogue ${JSON.stringify(rest)}`);
      return parts;
    }
    if (after !== '\r\n') throw new Error(`expected CRLF after boundary, got ${JSON.stringify(after)}`);
    pos += 2;
    const end = raw.indexOf(separator, pos);
    if (end < 0) throw new Error('unterminated part');
    const part = raw.subarray(pos, end);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) throw new Error('part without a header block');
    const headers: Record<string, string> = {};
    for (const line of part.subarray(0, headerEnd).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const disposition = headers['content-disposition'] ?? '';
    if (!/^form-data(;|$)/.test(disposition)) throw new Error(`bad Content-Disposition ${disposition}`);
    parts.push({
      headers,
      name: /;\s*name="([^"]*)"/.exec(disposition)?.[1],
      filename: /;\s*filename="([^"]*)"/.exec(disposition)?.[1],
      contentType: headers['content-type'],
      data: Buffer.from(part.subarray(headerEnd + 4)),
    });
    pos = end + separator.length;
  }
}
