import { describe, expect, it } from 'vitest';
import { assignGroupNames, nameComponent } from '../../../../src/protocols/nntp/group-names.ts';

describe('NNTP group names', () => {
  it.each([
    ['Lobby', 'lobby'],
    ['Main Floor', 'main-floor'],
    ['Café Olé!', 'cafe-ole'],
    ['  C++ & Rust  ', 'c++-rust'],
    ['under_score', 'under_score'],
    ['a.b,c*d?e!f[g]h', 'a-b-c-d-e-f-g-h'],
    ['日本語', ''],
  ])('maps %j to the component %j', (input, want) => {
    expect(nameComponent(input)).toBe(want);
  });

  it('names rooms keep.<floor>.<room>, with fallbacks for empty components', () => {
    const floors = new Map([[0, 'Main Floor'], [1, '日本']]);
    const named = assignGroupNames([{ roomnum: 3, name: 'Kitchen', floor: 0 }, { roomnum: 4, name: '台所', floor: 1 }], (f) => floors.get(f));
    expect([...named.keys()]).toEqual(['keep.main-floor.kitchen', 'keep.floor1.room4']);
  });

  it('keeps a clashing name for the older room and suffixes the newer one with its number', () => {
    const rooms = [{ roomnum: 9, name: 'foo-bar', floor: 0 }, { roomnum: 5, name: 'Foo Bar', floor: 0 }];
    const named = assignGroupNames(rooms, () => 'Main');
    expect(named.get('keep.main.foo-bar')?.roomnum).toBe(5);
    expect(named.get('keep.main.foo-bar-9')?.roomnum).toBe(9);
  });
});
