import { readFileSync } from 'node:fs';
import { ausOf, blocksOf } from './course-structure.js';
import { readCoursePackage } from './course-package.js';
import { courseXml, zipOf } from './test-packages.js';
import { TrainingException } from './training.exception.js';

const EXAMPLES = '../shared/specs/cmi5/examples';
const ids = {
  course: 'https://lms.test/course/1',
  block: (n: number) => `https://lms.test/course/1/block/${n}`,
  au: (n: number) => `https://lms.test/course/1/au/${n}`,
};

async function refusal(body: Buffer, format: 'zip' | 'xml'): Promise<string> {
  try {
    await readCoursePackage(body, format, ids);
  } catch (e) {
    if (e instanceof TrainingException) return e.message;
    throw e;
  }
  throw new Error('the package was accepted');
}

const abs = (path: string) => `https://content.test/${path}`;

describe('importing a course package', () => {
  it('reads the specification examples: blocks, objectives, AU launch metadata, LMS ids', async () => {
    const pkg = await readCoursePackage(readFileSync(`${EXAMPLES}/complex-cmi5.xml`), 'xml', ids);
    const aus = ausOf(pkg.structure);
    expect(aus.length).toBeGreaterThan(3);
    expect(aus.map((a) => a.index)).toEqual(aus.map((_, i) => i));
    expect(aus[0]!.lmsId).toBe(ids.au(0));
    expect(aus.every((a) => a.lmsId !== a.publisherId)).toBe(true);
    expect(blocksOf(pkg.structure).length).toBeGreaterThan(0);
    expect(pkg.structure.objectives.length).toBeGreaterThan(0);
    const simple = await readCoursePackage(readFileSync(`${EXAMPLES}/simple-cmi5.xml`), 'xml', ids);
    expect(ausOf(simple.structure)[0]).toMatchObject({ moveOn: 'NotApplicable', launchMethod: 'AnyWindow' });
    // Vendor extensions (§13.1.5) stay valid and are ignored.
    await expect(readCoursePackage(readFileSync(`${EXAMPLES}/extended-cmi5.xml`), 'xml', ids)).resolves.toBeDefined();
  });

  it('trims whitespace and keeps moveOn, masteryScore, launchMethod, launchParameters and entitlementKey', async () => {
    const xml = courseXml('https://p.test/c', 'Cours', [
      {
        id: 'https://p.test/au/1',
        url: ` ${abs('a.html')} `,
        moveOn: 'CompletedAndPassed',
        masteryScore: '0.8',
        launchMethod: 'OwnWindow',
        launchParameters: '  mode=quiz  ',
        entitlementKey: ' key-1 ',
      },
    ]);
    const [au] = ausOf((await readCoursePackage(Buffer.from(xml), 'xml', ids)).structure);
    expect(au).toMatchObject({
      url: abs('a.html'),
      moveOn: 'CompletedAndPassed',
      masteryScore: 0.8,
      launchMethod: 'OwnWindow',
      launchParameters: 'mode=quiz',
      entitlementKey: 'key-1',
    });
  });

  it('imports 32- and 64-bit zips with relative AU urls pointing into the package', async () => {
    for (const zip64 of [false, true]) {
      const xml = courseXml('https://p.test/c', 'Cours', [{ id: 'https://p.test/au/1', url: 'au/index.html?x=1' }]);
      const zip = await zipOf({ 'cmi5.xml': xml, 'au/index.html': '<p>AU</p>', 'au/app.js': '1' }, zip64);
      const pkg = await readCoursePackage(zip, 'zip', ids);
      expect(pkg.files.map((f) => f.path).sort()).toEqual(['au/app.js', 'au/index.html', 'cmi5.xml']);
      expect(pkg.files.find((f) => f.path === 'au/index.html')?.contentType).toMatch(/^text\/html/);
    }
  });

  it('refuses each broken rule with a message naming it', async () => {
    const au = (extra: object = {}) => ({ id: 'https://p.test/au/1', url: abs('a.html'), ...extra });
    const cases: [string, Buffer, 'xml' | 'zip', RegExp][] = [
      ['not XML', Buffer.from('<courseStructure'), 'xml', /§14 \(XML\).*well-formed/],
      [
        'schema',
        Buffer.from(courseXml('https://p.test/c', 'C', [au({ moveOn: 'Sometimes' })])),
        'xml',
        /CourseStructure\.xsd.*moveOn/,
      ],
      ['relative url alone', Buffer.from(courseXml('https://p.test/c', 'C', [au({ url: 'a.html' })])), 'xml', /§14\.2/],
      ['duplicate AU', Buffer.from(courseXml('https://p.test/c', 'C', [au(), au()])), 'xml', /§13\.1\.4.*used twice/],
      [
        'duplicate block',
        Buffer.from(
          courseXml('https://p.test/c', 'C', [
            { id: 'https://p.test/b', children: [au()] },
            { id: 'https://p.test/b', children: [au({ id: 'https://p.test/au/2' })] },
          ]),
        ),
        'xml',
        /§13\.1\.2.*used twice/,
      ],
      ['relative id', Buffer.from(courseXml('course-1', 'C', [au()])), 'xml', /§13\.1\.1.*fully qualified IRI/],
      [
        'mastery precision',
        Buffer.from(courseXml('https://p.test/c', 'C', [au({ masteryScore: '0.12345' })])),
        'xml',
        /masteryScore/,
      ],
      [
        'launch parameter collision',
        Buffer.from(courseXml('https://p.test/c', 'C', [au({ url: abs('a.html?fetch=1') })])),
        'xml',
        /§8\.1.*fetch/,
      ],
      ['doctype', Buffer.from('<!DOCTYPE x [<!ENTITY e "x">]><courseStructure/>'), 'xml', /DOCTYPE/],
      ['not a zip', Buffer.from('PK not really'), 'zip', /§14\.1 \(zip\)/],
    ];
    for (const [name, body, format, message] of cases) {
      expect([name, await refusal(body, format)]).toEqual([name, expect.stringMatching(message)]);
    }
    const nested = await zipOf({ 'course/cmi5.xml': courseXml('https://p.test/c', 'C', [au()]) });
    expect(await refusal(nested, 'zip')).toMatch(/§14\.1.*root.*course\/cmi5\.xml/);
    const missing = await zipOf({ 'cmi5.xml': courseXml('https://p.test/c', 'C', [au({ url: 'missing.html' })]) });
    expect(await refusal(missing, 'zip')).toMatch(/§14\.1.*no file "missing\.html"/);
    // yazl refuses to write "../": write a same-length name, then patch it in both headers.
    const placeholder = await zipOf({ 'cmi5.xml': courseXml('https://p.test/c', 'C', [au()]), 'zz/evil.html': 'x' });
    const escaping = Buffer.from(placeholder.toString('latin1').replaceAll('zz/evil.html', '../evil.html'), 'latin1');
    expect(await refusal(escaping, 'zip')).toMatch(/§14\.1 \(zip\).*\.\.\/evil\.html/);
  });
});
