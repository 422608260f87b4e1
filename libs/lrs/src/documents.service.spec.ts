import { etagOf, isJsonType, parseEntityTags } from './documents.service.js';

describe('document entity tags', () => {
  it('is the quoted hex SHA-1 of the bytes', () => {
    expect(etagOf(Buffer.from('abc'))).toBe('"a9993e364706816aba3e25717850c26c9cd0d89d"');
  });

  it('reads If-Match lists, quoted or not, and never lets a weak tag match strongly', () => {
    expect(parseEntityTags('"AB12", cd34 , W/"ef56"', false)).toEqual(['ab12', 'cd34']);
    expect(parseEntityTags(['"a"', '"b"'], false)).toEqual(['a', 'b']);
    expect(parseEntityTags('W/"a"', false)).toEqual([]);
    expect(parseEntityTags(undefined, false)).toBeUndefined();
  });

  it('compares If-None-Match weakly and keeps *', () => {
    expect(parseEntityTags('*', true)).toEqual(['*']);
    expect(parseEntityTags('W/"a"', true)).toEqual(['a']);
  });

  it('recognises JSON documents by their media type, parameters aside', () => {
    expect(isJsonType('application/json; charset=utf-8')).toBe(true);
    expect(isJsonType('Application/JSON')).toBe(true);
    expect(isJsonType('application/ld+json')).toBe(false);
    expect(isJsonType('text/plain')).toBe(false);
  });
});
