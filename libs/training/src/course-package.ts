import yauzl from 'yauzl';
import { ausOf, type CourseStructure } from './course-structure.js';
import { type ParseOptions, parseCourseStructure } from './parse-structure.js';
import { invalidPackage } from './training.exception.js';

/** A file of a zip package, served to the AUs that reference it. */
export interface PackageFile {
  path: string;
  contentType: string;
  content: Buffer;
}

export interface CoursePackage {
  structure: CourseStructure;
  /** The cmi5.xml text as received. */
  xml: string;
  files: PackageFile[];
}

export interface PackageLimits {
  /** Largest total of uncompressed file sizes (a zip bomb stops here, not in memory). */
  maxUncompressedBytes: number;
  maxEntries: number;
}

export const DEFAULT_PACKAGE_LIMITS: PackageLimits = { maxUncompressedBytes: 200 * 1024 * 1024, maxEntries: 20_000 };

export type PackageFormat = 'zip' | 'xml';

/**
 * What a request body is, from its Content-Type (cmi5 §14: a standalone XML file, or a 32- or 64-bit zip).
 * `application/x-zip-compressed` is what some systems send for .zip files.
 */
export function packageFormatOf(contentType: string | undefined): PackageFormat | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/zip' || type === 'application/x-zip-compressed') return 'zip';
  if (type === 'text/xml' || type === 'application/xml') return 'xml';
  return undefined;
}

/** Reads a course package: the XML alone (§14.2), or a zip with cmi5.xml at its root (§14.1). */
export async function readCoursePackage(
  body: Buffer,
  format: PackageFormat,
  lmsIds: ParseOptions['lmsIds'],
  limits: PackageLimits = DEFAULT_PACKAGE_LIMITS,
): Promise<CoursePackage> {
  if (format === 'xml') {
    const structure = parseCourseStructure(body, { inZip: false, lmsIds });
    return { structure, xml: body.toString('utf8'), files: [] };
  }
  const files = await unzip(body, limits);
  const manifest = files.find((f) => f.path === 'cmi5.xml');
  if (!manifest) {
    const nested = files.find((f) => f.path.endsWith('/cmi5.xml'));
    const hint = nested ? ` (found "${nested.path}": it must be at the root, not in a folder)` : '';
    throw invalidPackage('cmi5 §14.1', `the zip has no cmi5.xml at its root directory${hint}`);
  }
  const structure = parseCourseStructure(manifest.content, { inZip: true, lmsIds });
  const paths = new Set(files.map((f) => f.path));
  for (const au of ausOf(structure)) {
    const path = packagePathOf(au.url);
    if (path !== undefined && !paths.has(path)) {
      throw invalidPackage(
        'cmi5 §14.1',
        `AU "${au.publisherId}" url "${au.url}" is relative but the zip has no file "${path}" (an AU outside the package MUST have a fully qualified URL)`,
      );
    }
  }
  return { structure, xml: manifest.content.toString('utf8'), files };
}

/** The package file a relative AU url points to (query and fragment removed), or undefined for absolute urls. */
export function packagePathOf(url: string): string | undefined {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(url)) return undefined;
  const path = url.split(/[?#]/)[0]!.replace(/^\.\//, '');
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function unzip(body: Buffer, limits: PackageLimits): Promise<PackageFile[]> {
  return new Promise((resolve, reject) => {
    const fail = (message: string) => reject(invalidPackage('cmi5 §14.1 (zip)', message));
    yauzl.fromBuffer(body, { lazyEntries: true, strictFileNames: false, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) return fail(`the body is not a readable zip file (${err?.message ?? 'unknown error'})`);
      const files: PackageFile[] = [];
      let total = 0;
      let entries = 0;
      zip.on('error', (e: Error) => fail(`the zip is damaged: ${e.message}`));
      zip.on('end', () => resolve(files));
      zip.on('entry', (entry: yauzl.Entry) => {
        entries += 1;
        if (entries > limits.maxEntries) {
          zip.close();
          return fail(`the zip has more than ${limits.maxEntries} entries`);
        }
        const name = entry.fileName.replaceAll('\\', '/');
        if (name.endsWith('/')) return zip.readEntry();
        if (name.startsWith('/') || name.split('/').includes('..')) {
          zip.close();
          return fail(`entry "${entry.fileName}" points outside the package`);
        }
        if (entry.isEncrypted()) {
          zip.close();
          return fail(`entry "${name}" is encrypted`);
        }
        total += entry.uncompressedSize;
        if (total > limits.maxUncompressedBytes) {
          zip.close();
          return fail(
            `the zip's files exceed ${Math.round(limits.maxUncompressedBytes / 1048576)} MiB once uncompressed`,
          );
        }
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return fail(`entry "${name}" cannot be read (${e?.message ?? 'no stream'})`);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', (se: Error) => fail(`entry "${name}" is damaged: ${se.message}`));
          stream.on('end', () => {
            files.push({ path: name, contentType: contentTypeOf(name), content: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json',
  xml: 'application/xml',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  ico: 'image/x-icon',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  wav: 'audio/wav',
  pdf: 'application/pdf',
  txt: 'text/plain; charset=utf-8',
  woff: 'font/woff',
  woff2: 'font/woff2',
  ttf: 'font/ttf',
  vtt: 'text/vtt',
};

export function contentTypeOf(path: string): string {
  const ext = path.split('.').pop()?.toLowerCase() ?? '';
  return TYPES[ext] ?? 'application/octet-stream';
}
