// A minimal PDF 1.4 file writer: numbered objects, Flate streams, and a cross-reference table of exact byte offsets.
import { deflateSync } from 'node:zlib';

/** An object body: a dictionary or other value as PDF text, or a dictionary with a stream (compressed here). */
export type PdfObject = string | { readonly dictionary: string; readonly stream: Uint8Array };

/**
 * The file for `objects` (object n + 1 is `objects[n]`), with `root` and `info` naming the catalog and the
 * document information dictionary by object number.
 */
export function writePdf(objects: readonly PdfObject[], root: number, info: number): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')]; // a binary comment: the file holds binary data
  let length = parts[0].length;
  const offsets: number[] = [];
  const push = (b: Buffer) => {
    parts.push(b);
    length += b.length;
  };
  objects.forEach((object, i) => {
    offsets.push(length);
    if (typeof object === 'string') {
      push(Buffer.from(`${i + 1} 0 obj\n${object}\nendobj\n`, 'latin1'));
      return;
    }
    const data = deflateSync(object.stream);
    push(Buffer.from(`${i + 1} 0 obj\n<< ${object.dictionary} /Filter /FlateDecode /Length ${data.length} >>\nstream\n`, 'latin1'));
    push(data);
    push(Buffer.from('\nendstream\nendobj\n', 'latin1'));
  });
  const xrefAt = length;
  // Each entry is exactly 20 bytes: 10-digit offset, space, 5-digit generation, space, n or f, space, newline.
  const entries = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  const trailer = `trailer\n<< /Size ${objects.length + 1} /Root ${root} 0 R /Info ${info} 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  push(Buffer.from(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries}${trailer}`, 'latin1'));
  return Buffer.concat(parts);
}

/** A text string (title, producer) as UTF-16BE with its byte-order mark, in hex: any Unicode survives. */
export function pdfTextString(text: string): string {
  const hex = [...text].flatMap((ch) => {
    const units = ch.length === 2 ? [ch.charCodeAt(0), ch.charCodeAt(1)] : [ch.charCodeAt(0)];
    return units.map((u) => u.toString(16).padStart(4, '0'));
  });
  return `<FEFF${hex.join('').toUpperCase()}>`;
}
