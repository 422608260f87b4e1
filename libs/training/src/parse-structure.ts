import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { XmlDocument, type XmlElement, XmlParseError, XmlValidateError, XsdValidator } from 'libxml2-wasm';
import type { AuNode, BlockNode, CourseNode, CourseStructure, LangString, Objective } from './course-structure.js';
import { invalidPackage } from './training.exception.js';
import type { LaunchMethod, MoveOn } from './vocabulary.js';

export const CMI5_NAMESPACE = 'https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd';

/** The course structure XSD of cmi5 §14 (shipped with the package, Apache 2.0: schema/LICENSE-cmi5). */
export const COURSE_STRUCTURE_XSD = fileURLToPath(new URL('../schema/CourseStructure.xsd', import.meta.url));

/** The names of the launch parameters of §8.1: an AU url's own query string must not use them. */
const LAUNCH_PARAMETER_NAMES = ['endpoint', 'fetch', 'actor', 'registration', 'activityId'];

let validator: XsdValidator | undefined;

/** One validator per process: compiling the schema costs milliseconds, validating with it microseconds. */
function courseStructureValidator(): XsdValidator {
  if (!validator) {
    const xsd = XmlDocument.fromBuffer(readFileSync(COURSE_STRUCTURE_XSD));
    validator = XsdValidator.fromDoc(xsd);
  }
  return validator;
}

/** A fully qualified IRI: a scheme, then something (cmi5 §3: "IRIs in this spec MUST be fully qualified"). */
export function isAbsoluteIri(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(value);
}

export interface ParseOptions {
  /** Whether the structure came in a zip (relative AU urls allowed, §14.1) or alone (fully qualified only, §14.2). */
  inZip: boolean;
  /** Generates the LMS ids of the course, blocks and AUs (§8.1.5, §9.4): never the publisher's ids. */
  lmsIds: { course: string; block: (n: number) => string; au: (n: number) => string };
}

/**
 * Parses and validates a cmi5.xml: well-formed, valid against CourseStructure.xsd, then every rule of §13–14 the
 * schema cannot express. Throws TrainingException(InvalidPackage) naming the rule broken; never returns a
 * structure that would half work.
 */
export function parseCourseStructure(xml: Buffer, options: ParseOptions): CourseStructure {
  if (xml.includes('<!DOCTYPE')) {
    throw invalidPackage('cmi5 §14', 'the course structure must not declare a DOCTYPE (entities are not accepted)');
  }
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromBuffer(xml);
  } catch (e) {
    if (!(e instanceof XmlParseError)) throw e;
    throw invalidPackage('cmi5 §14 (XML)', `cmi5.xml is not well-formed XML: ${firstLines(e)}`);
  }
  try {
    try {
      courseStructureValidator().validate(doc);
    } catch (e) {
      if (!(e instanceof XmlValidateError)) throw e;
      throw invalidPackage(
        'cmi5 §14 (CourseStructure.xsd)',
        `cmi5.xml does not conform to the schema: ${firstLines(e)}`,
      );
    }
    return new StructureReader(options).read(doc.root);
  } finally {
    doc.dispose();
  }
}

function firstLines(e: XmlParseError | XmlValidateError): string {
  const details = e.details.slice(0, 5).map((d) => `line ${d.line}: ${d.message.trim()}`);
  const more = e.details.length > 5 ? ` (and ${e.details.length - 5} more)` : '';
  return (details.length > 0 ? details.join('; ') : e.message.trim()) + more;
}

function childElements(el: XmlElement, name?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (let n = el.firstChild; n; n = n.next) {
    if (isElement(n) && n.namespaceUri === CMI5_NAMESPACE && (name === undefined || n.name === name)) out.push(n);
  }
  return out;
}

function isElement(n: unknown): n is XmlElement {
  return typeof n === 'object' && n !== null && 'attrs' in n;
}

/** Walks a schema-valid document; checks the rules of §13–14 the XSD leaves out. */
class StructureReader {
  private readonly ids = { block: new Set<string>(), au: new Set<string>() };
  private objectiveIds = new Set<string>();
  private auCount = 0;
  private blockCount = 0;

  constructor(private readonly options: ParseOptions) {}

  read(root: XmlElement): CourseStructure {
    const [courseEl] = childElements(root, 'course');
    if (!courseEl) throw new Error('unreachable: the XSD requires <course>');
    const coursePublisherId = this.iri(courseEl, 'course', '§13.1.1');
    const objectives = childElements(root, 'objectives').flatMap((o) => this.objectives(o));
    const structure: CourseStructure = {
      course: {
        publisherId: coursePublisherId,
        lmsId: this.options.lmsIds.course,
        title: langstrings(courseEl, 'title'),
        description: langstrings(courseEl, 'description'),
      },
      objectives,
      children: this.nodes(root),
    };
    return structure;
  }

  private objectives(el: XmlElement): Objective[] {
    return childElements(el, 'objective').map((o) => {
      const id = this.iri(o, 'objective', '§13.1.3');
      if (this.objectiveIds.has(id)) {
        throw invalidPackage('cmi5 §13.1.3', `objective id "${id}" is used twice; it MUST be unique`);
      }
      this.objectiveIds.add(id);
      return { id, title: langstrings(o, 'title'), description: langstrings(o, 'description') };
    });
  }

  private nodes(parent: XmlElement): CourseNode[] {
    const out: CourseNode[] = [];
    for (let n = parent.firstChild; n; n = n.next) {
      if (!isElement(n) || n.namespaceUri !== CMI5_NAMESPACE) continue;
      if (n.name === 'au') out.push(this.au(n));
      else if (n.name === 'block') out.push(this.block(n));
    }
    return out;
  }

  private block(el: XmlElement): BlockNode {
    const publisherId = this.iri(el, 'block', '§13.1.2');
    if (this.ids.block.has(publisherId)) {
      throw invalidPackage('cmi5 §13.1.2', `block id "${publisherId}" is used twice; it MUST be unique`);
    }
    this.ids.block.add(publisherId);
    const lmsId = this.options.lmsIds.block(this.blockCount++);
    return {
      kind: 'block',
      publisherId,
      lmsId,
      title: langstrings(el, 'title'),
      description: langstrings(el, 'description'),
      objectives: this.objectiveRefs(el),
      children: this.nodes(el),
    };
  }

  private au(el: XmlElement): AuNode {
    const publisherId = this.iri(el, 'au', '§13.1.4');
    if (this.ids.au.has(publisherId)) {
      throw invalidPackage('cmi5 §13.1.4', `AU id "${publisherId}" is used twice; it MUST be unique`);
    }
    this.ids.au.add(publisherId);
    const index = this.auCount++;
    const url = text(childElements(el, 'url')[0]);
    this.checkUrl(url, publisherId);
    const mastery = el.attr('masteryScore')?.value.trim();
    return {
      kind: 'au',
      publisherId,
      lmsId: this.options.lmsIds.au(index),
      index,
      title: langstrings(el, 'title'),
      description: langstrings(el, 'description'),
      objectives: this.objectiveRefs(el),
      url,
      launchMethod: (el.attr('launchMethod')?.value.trim() ?? 'AnyWindow') as LaunchMethod,
      moveOn: (el.attr('moveOn')?.value.trim() ?? 'NotApplicable') as MoveOn,
      masteryScore: mastery === undefined ? undefined : this.masteryScore(mastery, publisherId),
      launchParameters: optionalText(childElements(el, 'launchParameters')[0]),
      entitlementKey: optionalText(childElements(el, 'entitlementKey')[0]),
      activityType: el.attr('activityType')?.value.trim() || undefined,
    };
  }

  private masteryScore(raw: string, au: string): number {
    if (!/^\+?(0(\.\d{1,4})?|1(\.0{1,4})?|\.\d{1,4})$/.test(raw)) {
      throw invalidPackage(
        'cmi5 §13.1.4 (masteryScore)',
        `AU "${au}" has masteryScore "${raw}": it must be a decimal between 0 and 1 with up to 4 decimal places`,
      );
    }
    return Number(raw);
  }

  private checkUrl(url: string, au: string): void {
    const absolute = /^[A-Za-z][A-Za-z0-9+.-]*:/.test(url);
    let parsed: URL;
    try {
      parsed = new URL(url, 'https://package.invalid/');
    } catch {
      throw invalidPackage('cmi5 §13.1.4 (url)', `AU "${au}" has url "${url}", which is not a valid URL (RFC 1738)`);
    }
    for (const name of LAUNCH_PARAMETER_NAMES) {
      if (parsed.searchParams.has(name)) {
        throw invalidPackage(
          'cmi5 §8.1',
          `AU "${au}" url "${url}" has a query parameter "${name}", which collides with the launch parameters`,
        );
      }
    }
    if (!absolute && !this.options.inZip) {
      throw invalidPackage(
        'cmi5 §14.2',
        `AU "${au}" url "${url}" is relative: a course structure imported without a zip MUST use fully qualified URLs`,
      );
    }
  }

  private objectiveRefs(el: XmlElement): string[] {
    return childElements(el, 'objectives').flatMap((refs) =>
      childElements(refs, 'objective').map((o) => {
        const idref = o.attr('idref')?.value.trim() ?? '';
        if (!this.objectiveIds.has(idref)) {
          throw invalidPackage(
            'cmi5 §13.1.2/§13.1.4 (objectives)',
            `objective reference "${idref}" names no objective declared in the course structure`,
          );
        }
        return idref;
      }),
    );
  }

  private iri(el: XmlElement, what: string, rule: string): string {
    const id = el.attr('id')?.value.trim() ?? '';
    if (!isAbsoluteIri(id)) {
      throw invalidPackage(`cmi5 ${rule}`, `${what} id "${id}" is not a fully qualified IRI (cmi5 §3)`);
    }
    return id;
  }
}

function text(el: XmlElement | undefined): string {
  return el?.content.trim() ?? '';
}

function optionalText(el: XmlElement | undefined): string | undefined {
  return el === undefined ? undefined : text(el);
}

function langstrings(el: XmlElement, name: 'title' | 'description'): LangString[] {
  const container = childElements(el, name)[0];
  if (!container) return [];
  return childElements(container, 'langstring').map((l) => ({
    lang: l.attr('lang')?.value.trim() ?? '',
    text: l.content.trim(),
  }));
}
