import yazl from 'yazl';

/**
 * Course structures and zips for tests, benchmarks and the demo: written here once, so every tier builds its
 * packages the same way (yazl writes real 32- or 64-bit zips).
 */
export interface TestAu {
  id: string;
  url: string;
  title?: string;
  moveOn?: string;
  masteryScore?: string;
  launchMethod?: string;
  launchParameters?: string;
  entitlementKey?: string;
}

export interface TestBlock {
  id: string;
  title?: string;
  children: (TestAu | TestBlock)[];
}

const NS = 'https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd';

function escape(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

function text(tag: string, value: string, lang = 'fr-FR'): string {
  return `<${tag}><langstring lang="${lang}">${escape(value)}</langstring></${tag}>`;
}

function node(n: TestAu | TestBlock): string {
  if ('children' in n) {
    return `<block id="${escape(n.id)}">${text('title', n.title ?? n.id)}${text('description', n.title ?? n.id)}${n.children.map(node).join('')}</block>`;
  }
  const attrs = [
    `id="${escape(n.id)}"`,
    n.moveOn ? `moveOn="${n.moveOn}"` : '',
    n.masteryScore ? `masteryScore="${n.masteryScore}"` : '',
    n.launchMethod ? `launchMethod="${n.launchMethod}"` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return `<au ${attrs}>${text('title', n.title ?? n.id)}${text('description', n.title ?? n.id)}<url>${escape(n.url)}</url>${
    n.launchParameters !== undefined ? `<launchParameters>${escape(n.launchParameters)}</launchParameters>` : ''
  }${n.entitlementKey !== undefined ? `<entitlementKey>${escape(n.entitlementKey)}</entitlementKey>` : ''}</au>`;
}

/** A cmi5.xml with these AUs and blocks. */
export function courseXml(courseId: string, title: string, children: (TestAu | TestBlock)[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="${NS}">
  <course id="${escape(courseId)}">${text('title', title)}${text('description', title)}</course>
  ${children.map(node).join('\n  ')}
</courseStructure>
`;
}

/** A zip of these files; `zip64` forces the 64-bit format (cmi5 §14 requires both to import). */
export function zipOf(files: Record<string, string | Buffer>, zip64 = false): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [path, content] of Object.entries(files)) {
    zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), path, { forceZip64Format: zip64 });
  }
  zip.end({ forceZip64Format: zip64, comment: '' });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}
