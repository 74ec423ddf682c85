import { describe, expect, it } from 'vitest';
import { previewOf } from '../../../../src/core/messages/preview.ts';

describe('previewOf', () => {
  it.each([
    ['Hello\nthere', 'Hello there'],
    ['  lots   of\t\tspace \n\n', 'lots of space'],
    ['Answer\n> quoted\n>> deeper\nmore', 'Answer more'],
    ['Body\n-- \nSignature', 'Body'],
    ['', ''],
  ])('previews %j as %j', (text, want) => {
    expect(previewOf(text)).toBe(want);
  });

  it('cuts at the limit in characters, never inside one', () => {
    expect(previewOf('é'.repeat(300))).toBe('é'.repeat(256));
    expect(Array.from(previewOf('😀'.repeat(300), 10))).toHaveLength(10);
  });
});
