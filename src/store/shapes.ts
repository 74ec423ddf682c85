// Record shapes stored by number. msgpackr writes an object either with its key list inline
// (a "record definition", decoded afresh every time it is read) or, when its keys match a
// known "shared structure", as one byte naming that shape. Decoding an inline definition costs
// about 4 µs for a message record and by number under 1 µs, and reading records is most of
// what a native read or an IMAP FETCH does.
//
// lmdb-js can keep shared structures in the database itself, but it saves a new structure
// inside the running child transaction: when that transaction aborts, later records name a
// shape that was never stored. So the shapes are fixed here, in code, and the encoders may
// not add any: an object of any other shape is still written with its keys inline.
//
// THESE LISTS ARE PART OF THE STORED FORMAT. A stored record names its shape by position.
// Never edit, remove or reorder an entry; append new shapes at the end of a list (at most 32
// per database) and bump the schema version. test/unit/store/shapes.test.ts pins them.
// The entries are the key orders the store's writers produce, taken from a store after the
// integration suite ran, most frequent first; keyed by the database's name in the environment.

type Shapes = readonly (readonly string[])[];

const MESSAGE_FIELDS = ['msgnum', 'format', 'time', 'authorName'] as const;
const MESSAGE_MIDDLE = ['messageId', 'references', 'recipients', 'originRoom', 'size', 'lines', 'refcount'] as const;
const MESSAGE_TAIL = ['envelope', 'bodyStructure', 'headers', 'bodyOffset'] as const;
const ENVELOPE_ADDRESSES = ['from', 'sender', 'replyTo', 'to', 'cc', 'bcc'] as const;
const ROOM_HEAD = ['name', 'kind', 'floor', 'order', 'owners', 'aide', 'isPermanent', 'isReadOnly'] as const;
const ROOM_TAIL = ['roomnum', 'generation', 'highest', 'count', 'created', 'mtime'] as const;
const USER_FIELDS = ['usernum', 'name', 'passwordHash', 'level', 'addresses', 'flags', 'timesCalled', 'posted', 'lastCall', 'created', 'validated'] as const;

export const RECORD_SHAPES: Readonly<Record<string, Shapes>> = {
  meta: [
    ['nextMessage', 'nextUser', 'nextRoom', 'nextFloor', 'modseq', 'auditSeq'],
  ],
  users: [
    USER_FIELDS,
    [...USER_FIELDS, 'bio'],
  ],
  rooms: [
    [...ROOM_HEAD, 'role', 'defaultView', ...ROOM_TAIL],
    [...ROOM_HEAD, 'defaultView', ...ROOM_TAIL],
    [...ROOM_HEAD, 'defaultView', 'info', 'infoTime', ...ROOM_TAIL],
    [...ROOM_HEAD, 'defaultView', ...ROOM_TAIL, 'deletedAt'],
  ],
  floors: [
    ['floornum', 'name', 'order'],
  ],
  messages: [
    // addresses, body parts and their parameters, envelopes (two builders, two key orders)
    ['name', 'address'],
    ['type', 'subtype', 'params', 'encoding', 'headerStart', 'bodyStart', 'end', 'lines'],
    ['charset'],
    ['date', 'subject', ...ENVELOPE_ADDRESSES, 'messageId'],
    // a chat line, a native post, mail
    [...MESSAGE_FIELDS, 'authorAddress', 'subject', ...MESSAGE_MIDDLE, 'textFormat', ...MESSAGE_TAIL, 'authorUser', 'isChat'],
    [...ENVELOPE_ADDRESSES, 'date', 'subject', 'messageId'],
    [...MESSAGE_FIELDS, 'subject', ...MESSAGE_MIDDLE, ...MESSAGE_TAIL, 'authorAddress', 'authorUser'],
    ['address'],
    [...MESSAGE_FIELDS, 'authorAddress', 'subject', ...MESSAGE_MIDDLE, 'textFormat', ...MESSAGE_TAIL, 'authorUser'],
    [...MESSAGE_FIELDS, 'authorAddress', 'subject', ...MESSAGE_MIDDLE, 'textFormat', ...MESSAGE_TAIL],
    [...ENVELOPE_ADDRESSES, 'subject'],
    [...MESSAGE_FIELDS, 'subject', ...MESSAGE_MIDDLE, ...MESSAGE_TAIL, 'authorAddress', 'authorUser', 'removedFrom', 'deletedAt'],
    [...MESSAGE_FIELDS, 'subject', ...MESSAGE_MIDDLE, ...MESSAGE_TAIL, 'authorUser'],
    [...ENVELOPE_ADDRESSES, 'subject', 'messageId'],
    [...ENVELOPE_ADDRESSES, 'date', 'subject'],
    [...MESSAGE_FIELDS, 'subject', ...MESSAGE_MIDDLE, ...MESSAGE_TAIL, 'authorAddress', 'authorUser', 'removedFrom'],
  ],
  'room-lists': [
    ['arrived', 'modseq'],
  ],
  visits: [
    ['lastSeen', 'seen', 'answered', 'flagged', 'deleted', 'draft', 'keywords', 'isZapped', 'isInvited', 'mailMark', 'infoSeen', 'modseq'],
  ],
  journal: [
    ['roomnum', 'msgnum', 'kind'],
    ['roomnum', 'msgnum', 'kind', 'usernum'],
  ],
  queue: [
    ['msgnum', 'recipient', 'sender', 'attempts', 'firstAttempt', 'state'],
  ],
};

/**
 * msgpackr options for a database: its fixed shapes, and no room for more. A database
 * without shapes gets none (its records keep their keys inline, as before).
 */
export function shapeOptions(db: string): object | undefined {
  const shapes = RECORD_SHAPES[db];
  if (!shapes) return undefined;
  // Copies, because msgpackr hangs its lookup tables on the arrays it is given. Each one is marked
  // shared: a record written before schema 3 defines its keys inline under an id in this same
  // range, and msgpackr puts back only shared shapes after reading such a record (an unmarked
  // one would stay replaced by the old key list, and records would be read and written with it).
  const fixed = () => shapes.map((s) => Object.assign([...s], { isShared: true }));
  return {
    structures: fixed(),
    getStructures: fixed,
    maxSharedStructures: shapes.length,
    // With the cap above msgpackr never adds a shape; if it tried (lmdb-js empties an encoder's
    // list when a database is cleared), the shape would exist only in this process and the record
    // could not be read after a restart. Refuse that write, and have the next one start again
    // from the fixed list (msgpackr reloads it through getStructures).
    saveStructures(this: { structures: { uninitialized?: boolean } }) {
      this.structures.uninitialized = true;
      throw new Error(`store: refusing to add a record shape to ${db} (shapes are fixed in store/shapes.ts)`);
    },
  };
}
