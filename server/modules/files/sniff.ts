import type { AttachmentType } from '../../../common/schemas/files.js';

/**
 * What a file is, from its bytes: the uploader's name and Content-Type are never trusted (a page of
 * HTML named photo.jpg must not be served back as anything a browser would run). Office files are
 * zip archives; which one is told by the part names in the archive's central directory.
 */
export function sniffType(data: Buffer): AttachmentType | null {
  const starts = (...bytes: number[]) => data.length >= bytes.length && bytes.every((b, i) => data[i] === b);
  const ascii = (offset: number, text: string) => data.length >= offset + text.length && data.toString('latin1', offset, offset + text.length) === text;
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (ascii(0, 'GIF87a') || ascii(0, 'GIF89a')) return 'gif';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'webp';
  if (ascii(0, '%PDF-')) return 'pdf';
  if (starts(0x50, 0x4b, 0x03, 0x04)) return officeTypeOf(zipEntryNames(data));
  return null;
}

function officeTypeOf(names: string[] | null): AttachmentType | null {
  if (!names || !names.includes('[Content_Types].xml')) return null;
  if (names.includes('word/document.xml')) return 'docx';
  if (names.includes('xl/workbook.xml')) return 'xlsx';
  if (names.includes('ppt/presentation.xml')) return 'pptx';
  return null;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;

/** The entry names of a zip archive from its central directory, or null when it is not a readable zip. */
export function zipEntryNames(data: Buffer): string[] | null {
  // The end-of-central-directory record is in the last 22 + 65,535 (comment) bytes.
  const stop = Math.max(0, data.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = data.length - 22; i >= stop; i--) {
    if (data.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = data.readUInt16LE(eocd + 10);
  let at = data.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== CENTRAL) return null;
    const nameLen = data.readUInt16LE(at + 28);
    const extraLen = data.readUInt16LE(at + 30);
    const commentLen = data.readUInt16LE(at + 32);
    if (at + 46 + nameLen > data.length) return null;
    names.push(data.toString('utf8', at + 46, at + 46 + nameLen));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/**
 * The name to store and to offer when saving: the last path segment, without control characters
 * or quotes, at most 120 characters, ending in the sniffed type's extension.
 */
export function safeFileName(given: string, ext: string): string {
  const base = (given.split(/[\\/]/).pop() ?? '')
    .replace(/[\u0000-\u001f\u007f"<>|*?:]/g, '')
    .trim();
  const stem = (base.replace(/\.[^.]*$/, '') || 'file').slice(0, 110);
  return `${stem}.${ext}`;
}

/** A Content-Disposition header value: an ASCII fallback name and the UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
