import zlib from 'node:zlib';

/**
 * The text of each page of a PDF as Chromium (Skia) writes it, for tests: no PDF tool is
 * installed, and Skia's output is plain enough to read directly. Objects are uncompressed
 * dictionaries with Flate streams; text is shown with Identity-H fonts whose ToUnicode CMaps map
 * glyph codes back to characters. Returns, per page in order, the text of each BT…ET block.
 */
export function pdfTextRuns(pdf: Buffer): string[][] {
  const objects = readObjects(pdf);
  const kids = [...objects.values()].find((o) => /\/Type\s*\/Pages\b/.test(o.dict))?.dict.match(/\/Kids\s*\[([^\]]*)\]/)?.[1] ?? '';
  const pageIds = [...kids.matchAll(/(\d+)\s+0\s+R/g)].map((m) => Number(m[1]));
  return pageIds.map((id) => pageRuns(objects, objects.get(id)!.dict));
}

interface PdfObject {
  dict: string;
  stream?: Buffer;
}

function readObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const found = new Map<number, PdfObject>();
  for (const m of text.matchAll(/(\d+) 0 obj\s*(<<[\s\S]*?>>)\s*(?:stream\r?\n([\s\S]*?)\r?\nendstream)?\s*endobj/g)) {
    const raw = m[3] === undefined ? undefined : Buffer.from(m[3], 'latin1');
    found.set(Number(m[1]), { dict: m[2], stream: raw && /\/FlateDecode/.test(m[2]) ? zlib.inflateSync(raw) : raw });
  }
  return found;
}

const hexText = (hex: string) => String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));

/** Glyph code (4 hex digits) → text, from a ToUnicode CMap's bfchar and bfrange entries. */
function toUnicode(cmap: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, from, to] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(from.toUpperCase(), hexText(to));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, from, to, start] of block[1].matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      for (let code = parseInt(from, 16), i = 0; code <= parseInt(to, 16); code++, i++) {
        map.set(code.toString(16).toUpperCase().padStart(4, '0'), String.fromCharCode(parseInt(start, 16) + i));
      }
    }
  }
  return map;
}

function pageRuns(objects: Map<number, PdfObject>, page: string): string[] {
  const fonts = new Map<string, Map<string, string>>();
  for (const [, name, id] of (page.match(/\/Font\s*<<([^>]*)>>/)?.[1] ?? '').matchAll(/\/(\w+)\s+(\d+)\s+0\s+R/g)) {
    const cmapId = objects.get(Number(id))?.dict.match(/\/ToUnicode\s+(\d+)\s+0\s+R/)?.[1];
    fonts.set(name, toUnicode(objects.get(Number(cmapId))?.stream?.toString('latin1') ?? ''));
  }
  const content = objects.get(Number(page.match(/\/Contents\s+(\d+)\s+0\s+R/)?.[1]))?.stream?.toString('latin1') ?? '';
  return [...content.matchAll(/\bBT\b([\s\S]*?)\bET\b/g)].map(([, block]) => {
    let font = new Map<string, string>();
    let out = '';
    for (const t of block.matchAll(/\/(\w+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>/g)) {
      if (t[1]) font = fonts.get(t[1]) ?? new Map();
      else out += (t[2].toUpperCase().match(/.{4}/g) ?? []).map((g) => font.get(g) ?? '?').join('');
    }
    return out;
  });
}
